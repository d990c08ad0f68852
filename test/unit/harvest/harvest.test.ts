import { describe, expect, it } from "vitest";
import type { PairCategory } from "../../../src/diff/category.js";
import type { BenchCase } from "../../../src/harvest/bench-case.js";
import { EXPORT_FORMATS, exportCase } from "../../../src/harvest/exporters.js";
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

interface RowOptions {
  readonly reason?: string;
  readonly paths?: readonly string[];
  readonly candidate?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly outcome?: unknown;
}

const record = (id: string, content: string, steps: string[], options: RowOptions) => ({
  id,
  ts: "2026-11-20T09:00:00Z",
  labels: options.labels,
  request: { messages: [{ role: "user", content }], metadata: options.metadata },
  response: {
    steps: steps.map((name) => ({ type: "tool_call", name, arguments: {} })),
    output: "x",
    outcome: options.outcome ?? null,
    refusal: false,
  },
});

function row(
  id: string,
  category: PairCategory,
  intent: string,
  content: string,
  options: RowOptions = {},
): HarvestRow {
  const labels = options.labels ?? { intent };
  return {
    request_id: id,
    replica: 0,
    category,
    reason: options.reason ?? "refund_order: x",
    paths: options.paths ?? ["/steps/refund_order/arguments/x"],
    baseline_release: "sha256:b",
    candidate_release: options.candidate ?? "sha256:c",
    label_keys: Object.keys(labels),
    label_values: Object.values(labels),
    raw: JSON.stringify({
      baseline: record(id, content, ["lookup_account"], options),
      candidate: record(id, content, [], options),
    }),
  };
}

const onlyCase = (harvestRow: HarvestRow, redactPaths: readonly string[] = []): BenchCase =>
  selectCases([harvestRow], { limit: 1, redactPaths })[0] as BenchCase;

describe("case selection", () => {
  it("spreads over category × segment × tool before repeating a stratum, and dedupes by input", () => {
    const refused = { reason: "candidate refused, baseline answered", paths: ["/refusal"] };
    const rows = [
      row("r1", "args_drift", "refund", "one"),
      row("r2", "args_drift", "refund", "two"),
      row("r3", "args_drift", "refund", "three"),
      row("r4", "refusal_flip", "question", "four", refused),
      row("r5", "args_drift", "status", "one"), // same input as r1 after canonicalization
    ];
    const cases = selectCases(rows, { limit: 3, stratifyBy: "intent" });
    expect(cases.map((c) => c.provenance.request_id)).toEqual(["r1", "r4", "r2"]);
    const all = selectCases(rows, { limit: 10, stratifyBy: "intent" });
    expect(all).toHaveLength(4);
    expect(new Set(all.map((c) => c.id)).size).toBe(4);
  });

  it("names what failed in the case id: one case per input for each candidate release and category", () => {
    const rows = [
      row("r1", "args_drift", "refund", "same question"),
      row("r2", "args_drift", "refund", "same question", { candidate: "sha256:other" }),
      row("r3", "outcome_mismatch", "refund", "same question", { paths: ["/outcome/amount"] }),
      row("r4", "args_drift", "refund", "same question"), // the same failure on the same input again
    ];
    const cases = selectCases(rows, { limit: 10 });
    expect(cases.map((c) => c.provenance.request_id).sort()).toEqual(["r1", "r2", "r3"]);
    expect(new Set(cases.map((c) => c.id)).size).toBe(3);
    expect(new Set(cases.map((c) => c.input_hash)).size).toBe(1);
    // Stable: the same pair gives the same id in another run.
    expect(onlyCase(rows[1] as HarvestRow).id).toBe(cases.find((c) => c.provenance.request_id === "r2")?.id);
  });

  it("takes a pair's tool stratum from its structured paths, not from its reason text", () => {
    // The reasons all start like a tool name; the paths say which tool really differs.
    const rows = [
      row("r1", "args_drift", "refund", "one", {
        reason: "note: a",
        paths: ["/steps/get_order/arguments/id"],
      }),
      row("r2", "args_drift", "refund", "two", {
        reason: "note: b",
        paths: ["/steps/get_order/arguments/id"],
      }),
      row("r3", "args_drift", "refund", "three", {
        reason: "note: c",
        paths: ["/steps/refund~1v2/arguments/x"],
      }),
      row("r4", "tool_sequence_drift", "refund", "four", {
        reason: "send_email missing in candidate",
        paths: ["/steps/send_email:missing"],
      }),
      row("r5", "tool_sequence_drift", "refund", "five", {
        reason: "send_email missing in candidate",
        paths: ["/steps/send_email:missing"],
      }),
      row("r6", "tool_sequence_drift", "refund", "six", {
        reason: "lookup_account added in candidate",
        paths: ["/steps/lookup_account:extra"],
      }),
    ];
    const cases = selectCases(rows, { limit: 4, stratifyBy: "intent" });
    expect(cases.map((c) => c.provenance.request_id)).toEqual(["r1", "r3", "r6", "r4"]);
  });

  it("lets no noise path decide a pair's tool stratum", () => {
    const noise = "/steps/lookup_account/arguments/email";
    const rows = [
      row("r1", "args_drift", "refund", "one", { paths: [noise, "/steps/refund_order/arguments/amount"] }),
      row("r2", "args_drift", "refund", "two", { paths: ["/steps/refund_order/arguments/amount"] }),
      row("r3", "args_drift", "refund", "three", { paths: ["/steps/refund_order/arguments/amount"] }),
      row("r4", "args_drift", "refund", "four", { paths: ["/steps/zeta_tool/arguments/x"] }),
    ];
    // r1 shares refund_order's stratum, so the second pick is zeta_tool's, not another refund.
    const picked = selectCases(rows, { limit: 3, noisePaths: [noise] }).map((c) => c.provenance.request_id);
    expect(picked).toEqual(["r1", "r4", "r2"]);
    const raw = selectCases(rows, { limit: 3 }).map((c) => c.provenance.request_id);
    expect(raw).toEqual(["r1", "r2", "r4"]);
  });

  it("redacts labels, and applies --redact-path pointers to each exchange record, labels included", () => {
    const labels = { intent: "refund", contact: "jane.doe@example.com", account: "acct-7" };
    const benchCase = onlyCase(
      row("r1", "outcome_mismatch", "refund", "hi", { labels, outcome: { card: "x", amount: 3 } }),
      ["/response/outcome/card", "/labels/account"],
    );
    expect(benchCase.provenance.labels).toEqual({
      intent: "refund",
      contact: redactText("jane.doe@example.com"),
      account: "<redacted>",
    });
    expect(benchCase.provenance.labels.contact).not.toContain("jane.doe");
    expect(benchCase.expected.outcome).toEqual({ card: "<redacted>", amount: 3 });
    expect(benchCase.observed.outcome).toEqual({ card: "<redacted>", amount: 3 });
  });
});

describe("exporters use the field names each tool documents", () => {
  const benchCase = onlyCase(row("r1", "args_drift", "refund", "hello"));
  const dataset = { dataset: "support-bench" };

  // What every format's metadata carries: the provenance, the case id and the input hash.
  const provenance = {
    request_id: "r1",
    replica: 0,
    baseline_release: "sha256:b",
    candidate_release: "sha256:c",
    category: "args_drift",
    reason: "refund_order: x",
    ts: "2026-11-20T09:00:00Z",
    labels: { intent: "refund" },
  };
  const metadata = { ...provenance, case_id: benchCase.id, input_hash: benchCase.input_hash };
  const messages = [{ role: "user", content: "hello" }];

  it("promptfoo: description, vars, assert, metadata", () => {
    expect(benchCase.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(benchCase.input_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(exportCase(benchCase, "promptfoo", dataset)).toEqual({
      description: "args_drift: refund_order: x",
      vars: { messages, reference: { answer: "x", refused: false } },
      // The reference answer "x" restates no identifier or amount: nothing to assert.
      assert: [],
      metadata,
    });
  });

  it("promptfoo asserts the reference's identifiers and amounts its answer restates", () => {
    const refund = onlyCase(
      row("r2", "outcome_mismatch", "refund", "refund ORD-123769", {
        outcome: { order_id: "ORD-123769", amount: 157.99, status: "refunded" },
      }),
    );
    const answered = {
      ...refund,
      expected: { ...refund.expected, output: "Refunded 157.99 for ORD-123769." },
    };
    const assertions = exportCase(answered, "promptfoo", dataset).assert;
    expect(assertions.map((assertion) => assertion.type)).toEqual(["regex", "regex"]);
    const answer = "Refunded 157.99 for ORD-123769.";
    for (const { value } of assertions) expect(new RegExp(value).test(answer)).toBe(true);
    // Whole tokens only: a longer order number or amount does not satisfy them.
    for (const { value } of assertions)
      expect(new RegExp(value).test("Refunded 1157.991 for ORD-1237690.")).toBe(false);
  });

  it("Langfuse dataset items: the case id, the dataset name, input, expectedOutput, metadata", () => {
    expect(exportCase(benchCase, "langfuse", dataset)).toEqual({
      id: benchCase.id,
      datasetName: "support-bench",
      input: { messages },
      expectedOutput: benchCase.expected,
      metadata,
    });
    expect(benchCase.expected).toMatchObject({ output: "x", outcome: null, refusal: false });
    expect(benchCase.expected.tool_calls.map((call) => call.name)).toEqual(["lookup_account"]);
  });

  it("Langfuse: sourceTraceId only when the record names a Langfuse trace, never the request id", () => {
    const traced = onlyCase(
      row("req-9", "args_drift", "refund", "hello", {
        metadata: { langfuse_trace_id: "3f2a9c0d4b5e6f708192a3b4c5d6e7f8" },
      }),
    );
    expect(exportCase(traced, "langfuse", dataset).sourceTraceId).toBe("3f2a9c0d4b5e6f708192a3b4c5d6e7f8");
    expect(exportCase(benchCase, "langfuse", dataset)).not.toHaveProperty("sourceTraceId");
    const untraced = onlyCase(
      row("req-9", "args_drift", "refund", "hello", { metadata: { trace_id: "t-1" } }),
    );
    expect(exportCase(untraced, "langfuse", dataset)).not.toHaveProperty("sourceTraceId");
  });

  it("Braintrust records: the case id, input, expected, metadata, tags", () => {
    expect(exportCase(benchCase, "braintrust", dataset)).toEqual({
      id: benchCase.id,
      input: { messages },
      expected: benchCase.expected,
      metadata,
      tags: ["shadowdiff", "args_drift"],
    });
  });

  it("Inspect samples: input, target, id, metadata", () => {
    expect(exportCase(benchCase, "inspect", dataset)).toEqual({
      id: benchCase.id,
      input: messages,
      target: "x",
      metadata,
    });
  });

  it("carries no label's e-mail address into any format", () => {
    const labelled = onlyCase(
      row("r1", "args_drift", "refund", "hello", {
        labels: { intent: "refund", owner: "ops.lead@example.com" },
      }),
    );
    for (const format of EXPORT_FORMATS) {
      expect(JSON.stringify(exportCase(labelled, format, dataset)), format).not.toContain(
        "ops.lead@example.com",
      );
    }
  });
});
