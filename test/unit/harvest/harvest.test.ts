import { describe, expect, it } from "vitest";
import type { PairCategory } from "../../../src/diff/category.js";
import type { BenchCase } from "../../../src/harvest/bench-case.js";
import { exportCase } from "../../../src/harvest/exporters.js";
import { redactText, redactValue } from "../../../src/harvest/redact.js";
import { type HarvestRow, selectCases } from "../../../src/harvest/select.js";

describe("redaction", () => {
  it("scrubs e-mail addresses, phone numbers and Luhn-valid card numbers, and nothing else", () => {
    const text =
      "I'm jane.doe+shop@example.co.uk, call +1 415 555 0199 or (030) 1234-5678. Card 4111 1111 1111 1111, " +
      "order ORD-123456, 295.50 EUR, trace 2a5ae5f1-4382-4a9c-a888-849f477ef5bb, not a card 4111 1111 1111 1112.";
    expect(redactText(text)).toBe(
      "I'm <email>, call <phone> or <phone>. Card <card>, " +
        "order ORD-123456, 295.50 EUR, trace 2a5ae5f1-4382-4a9c-a888-849f477ef5bb, not a card 4111 1111 1111 1112.",
    );
  });

  it("replaces configured JSON paths whole, through arrays", () => {
    const value = { request: { metadata: { ip: "10.0.0.1" }, messages: [{ content: "a@b.io" }] } };
    expect(redactValue(value, ["/request/metadata/ip"])).toEqual({
      request: { metadata: { ip: "<redacted>" }, messages: [{ content: "<email>" }] },
    });
  });
});

const record = (id: string, content: string, steps: string[]) => ({
  id,
  ts: "2026-11-20T09:00:00Z",
  request: { messages: [{ role: "user", content }] },
  response: {
    steps: steps.map((name) => ({ type: "tool_call", name, arguments: {} })),
    output: "x",
    outcome: null,
    refusal: false,
  },
});

function row(
  id: string,
  category: PairCategory,
  intent: string,
  content: string,
  reason = "refund_order: x",
): HarvestRow {
  return {
    request_id: id,
    replica: 0,
    category,
    reason,
    baseline_release: "sha256:b",
    candidate_release: "sha256:c",
    label_keys: ["intent"],
    label_values: [intent],
    raw: JSON.stringify({
      baseline: record(id, content, ["lookup_account"]),
      candidate: record(id, content, []),
    }),
  };
}

describe("case selection", () => {
  it("spreads over category × segment × tool before repeating a stratum, and dedupes by input", () => {
    const rows = [
      row("r1", "args_drift", "refund", "one"),
      row("r2", "args_drift", "refund", "two"),
      row("r3", "args_drift", "refund", "three"),
      row("r4", "refusal_flip", "question", "four", "candidate refused, baseline answered"),
      row("r5", "args_drift", "status", "one"), // same input as r1 after canonicalization
    ];
    const cases = selectCases(rows, { limit: 3, stratifyBy: "intent" });
    expect(cases.map((c) => c.provenance.request_id)).toEqual(["r1", "r4", "r2"]);
    const all = selectCases(rows, { limit: 10, stratifyBy: "intent" });
    expect(all).toHaveLength(4);
    expect(new Set(all.map((c) => c.id)).size).toBe(4);
  });
});

describe("exporters use the field names each tool documents", () => {
  const benchCase = selectCases([row("r1", "args_drift", "refund", "hello")], { limit: 1 })[0] as BenchCase;

  it("promptfoo: description, vars, assert, metadata", () => {
    expect(Object.keys(exportCase(benchCase, "promptfoo")).sort()).toEqual([
      "assert",
      "description",
      "metadata",
      "vars",
    ]);
  });
  it("Langfuse dataset items: input, expectedOutput, metadata, sourceTraceId", () => {
    const item = exportCase(benchCase, "langfuse");
    expect(Object.keys(item).sort()).toEqual(["expectedOutput", "input", "metadata", "sourceTraceId"]);
    expect(item.sourceTraceId).toBe("r1");
  });
  it("Braintrust records: input, expected, metadata, tags", () => {
    expect(Object.keys(exportCase(benchCase, "braintrust")).sort()).toEqual([
      "expected",
      "input",
      "metadata",
      "tags",
    ]);
  });
  it("Inspect samples: input, target, id, metadata", () => {
    const sample = exportCase(benchCase, "inspect");
    expect(Object.keys(sample).sort()).toEqual(["id", "input", "metadata", "target"]);
    expect(sample.id).toBe(benchCase.id);
  });
});
