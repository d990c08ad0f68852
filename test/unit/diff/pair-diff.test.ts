import { describe, expect, it } from "vitest";
import { call, record } from "../records.js";
import { diffRecords } from "./trace-helpers.js";

describe("pair category, first that applies", () => {
  it("candidate_error wins over everything", () => {
    const result = diffRecords(
      record(),
      record({ error: { type: "timeout", message: "30 s" }, refusal: true, outcome: null }),
    );
    expect(result.category).toBe("candidate_error");
    expect(result.reason).toBe("candidate failed: timeout: 30 s");
    expect(result.paths).toEqual(["/error"]);
  });

  it("refusal_flip before outcome_mismatch, both ways", () => {
    expect(diffRecords(record(), record({ refusal: true, outcome: null })).reason).toBe(
      "candidate refused, baseline answered",
    );
    expect(diffRecords(record({ refusal: true }), record()).reason).toBe(
      "baseline refused, candidate answered",
    );
  });

  it("takes refusal from the stop reason or a detector when the record does not know", () => {
    const unknown = { refusal: null, outcome: null };
    expect(diffRecords(record(), record({ ...unknown, stopReason: "content_filter" })).category).toBe(
      "refusal_flip",
    );
    const detectors = { refusal: { stop_reasons: [], patterns: ["^i can(?:'|no)t help"] } };
    expect(
      diffRecords(record(), record({ ...unknown, output: "I can't help with that" }), detectors).category,
    ).toBe("refusal_flip");
  });

  it("outcome_mismatch names the path and both values, with arrays and map keys collapsed", () => {
    const result = diffRecords(
      record({ outcome: { amount: 42, items: [{ sku: "a" }, { sku: "b" }], by_order: { "ORD-123456": 1 } } }),
      record({ outcome: { amount: 40, items: [{ sku: "a" }, { sku: "c" }], by_order: { "ORD-123456": 2 } } }),
    );
    expect(result.category).toBe("outcome_mismatch");
    expect(result.reason).toBe("outcome.amount 42 → 40");
    expect(result.paths).toEqual(["/outcome/amount", "/outcome/by_order/*", "/outcome/items/[]/sku"]);
  });

  it("text_only when only the wording changed; identical otherwise", () => {
    expect(diffRecords(record({ output: "Done." }), record({ output: "All done." })).category).toBe(
      "text_only",
    );
    expect(diffRecords(record({ output: "Done.  " }), record({ output: " Done." })).category).toBe(
      "identical",
    );
  });

  it("masked values do not make a difference", () => {
    const base = record({
      outcome: { trace: "1b4e28ba-2fa1-41d2-883f-0016d3cca427" },
      steps: [call("t", { at: "2026-11-20T09:00:00Z" }, 0)],
    });
    const cand = record({
      outcome: { trace: "6fa459ea-ee8a-4ca4-894e-db77e160355e" },
      steps: [call("t", { at: "2026-11-21T10:11:12Z" }, 0)],
    });
    expect(diffRecords(base, cand).category).toBe("identical");
  });

  it("ignore paths apply to outcomes and to every tool's arguments", () => {
    const base = record({ outcome: { amount: 1, note: "a" }, steps: [call("t", { id: 1, nonce: 5 }, 0)] });
    const cand = record({ outcome: { amount: 1, note: "b" }, steps: [call("t", { id: 1, nonce: 6 }, 0)] });
    expect(diffRecords(base, cand).category).toBe("outcome_mismatch");
    expect(diffRecords(base, cand, { ignore_paths: ["/outcome/note", "/arguments/nonce"] }).category).toBe(
      "identical",
    );
  });

  it("every non-identical pair carries a reason and at least one path", () => {
    const cases = [
      diffRecords(record(), record({ output: "x" })),
      diffRecords(record(), record({ outcome: { action: "refund", amount: 1 } })),
      diffRecords(record({ steps: [call("a", {}, 0)] }), record()),
    ];
    for (const result of cases) {
      expect(result.category).not.toBe("identical");
      expect(result.reason.length).toBeGreaterThan(0);
      expect(result.paths.length).toBeGreaterThan(0);
    }
  });
});
