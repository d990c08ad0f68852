import { describe, expect, it } from "vitest";
import { exampleRow } from "../../../src/analyze/report-examples.js";
import { redactExamples } from "../../../src/harvest/redact.js";

const record = (response: Record<string, unknown>) => ({
  schema: "shadowdiff.exchange/v1",
  id: "req-1",
  ts: "2026-11-20T09:00:00Z",
  release: { id: "sha256:b", model: "m", prompt: "p", tools: [] },
  request: { messages: [{ role: "user", content: "where is my refund?" }] },
  response: { steps: [], outcome: null, refusal: null, error: null, ...response },
});

describe("example pairs carry both answers and the error", () => {
  const details = {
    request_id: "req-1",
    replica: 0,
    reason: "candidate failed: timeout",
    alignment: "",
    baseline_steps: "[]",
    candidate_steps: "[]",
    baseline_refusal: 0,
    candidate_refusal: 1,
    raw: JSON.stringify({
      baseline: record({ output: "Refunded; we wrote to ana@example.com." }),
      candidate: record({
        output: null,
        error: { type: "timeout", message: "provider did not answer within 30000 ms" },
      }),
    }),
  };

  it("reads the answers, refusals and errors from the stored records", () => {
    const row = exampleRow("req-1", 0, details);
    expect(row.baseline_answer).toEqual({
      output: "Refunded; we wrote to ana@example.com.",
      refusal: false,
      error: null,
    });
    expect(row.candidate_answer).toEqual({
      output: null,
      refusal: true,
      error: { type: "timeout", message: "provider did not answer within 30000 ms" },
    });
  });

  it("cuts a long answer and keeps a pair without stored records readable", () => {
    const long = exampleRow("req-1", 0, {
      ...details,
      raw: JSON.stringify({ baseline: record({ output: "y".repeat(100_000) }), candidate: record({}) }),
    });
    expect(long.baseline_answer.output?.length).toBeLessThanOrEqual(2001);
    expect(long.baseline_answer.output?.endsWith("…")).toBe(true);
    const bare = exampleRow("req-1", 0, { ...details, raw: "" });
    expect(bare.baseline_answer).toEqual({ output: null, refusal: false, error: null });
  });

  it("the answers are scrubbed like the rest of an example", () => {
    const [redacted] =
      redactExamples({ candidate_error: [exampleRow("req-1", 0, details)] }).candidate_error ?? [];
    expect(JSON.stringify(redacted)).not.toContain("ana@example.com");
    expect(redacted?.baseline_answer.output).toContain("<email>");
  });
});
