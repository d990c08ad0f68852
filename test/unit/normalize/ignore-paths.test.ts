import { describe, expect, it } from "vitest";
import { isShadowdiffError } from "../../../src/contracts/errors.js";
import { resolveRules } from "../../../src/normalize/resolve-rules.js";
import { diffRecords } from "../diff/trace-helpers.js";
import { call, record } from "../records.js";

const refund = (currency: string, nonce: number) =>
  call("refund_order", { order_id: "O-1", currency, nonce }, 0);
const email = (body: string) => call("send_email", { to: "a@example.com", body }, 1);

describe("ignore_paths roots", () => {
  it("/outcome ignores the whole outcome", () => {
    const baseline = record({ outcome: { action: "refund", amount: 42 } });
    const candidate = record({ outcome: { action: "exchange", items: [1] } });
    expect(diffRecords(baseline, candidate).category).toBe("outcome_mismatch");
    expect(diffRecords(baseline, candidate, { ignore_paths: ["/outcome"] }).category).toBe("identical");
    expect(diffRecords(record({ outcome: null }), candidate, { ignore_paths: ["/outcome"] }).category).toBe(
      "identical",
    );
  });

  it("/arguments ignores every argument of every call, but not which tools were called", () => {
    const baseline = record({ steps: [refund("EUR", 1), email("a")] });
    const candidate = record({ steps: [refund("USD", 2), email("b")] });
    expect(diffRecords(baseline, candidate).category).toBe("args_drift");
    expect(diffRecords(baseline, candidate, { ignore_paths: ["/arguments"] }).category).toBe("identical");
    const fewer = record({ steps: [refund("USD", 2)] });
    expect(diffRecords(baseline, fewer, { ignore_paths: ["/arguments"] }).category).toBe(
      "tool_sequence_drift",
    );
  });

  it("/output ignores the answer text", () => {
    const result = diffRecords(record({ output: "Done." }), record({ output: "All done." }), {
      ignore_paths: ["/output"],
    });
    expect(result.category).toBe("identical");
  });

  it("a reported path works as an ignore path: /steps/<tool>/arguments/… is that tool's argument", () => {
    const baseline = record({ steps: [refund("EUR", 1), call("charge", { currency: "EUR" }, 1)] });
    const candidate = record({ steps: [refund("USD", 1), call("charge", { currency: "USD" }, 1)] });
    const result = diffRecords(baseline, candidate, {
      ignore_paths: ["/steps/refund_order/arguments/currency"],
    });
    expect(result.category).toBe("args_drift");
    expect(result.paths).toEqual(["/steps/charge/arguments/currency"]);
    const both = diffRecords(baseline, candidate, { ignore_paths: ["/steps/*/arguments/currency"] });
    expect(both.category).toBe("identical");
  });

  it("/steps/<tool>/arguments ignores all of one tool's arguments", () => {
    const baseline = record({ steps: [refund("EUR", 1), email("a")] });
    const candidate = record({ steps: [refund("USD", 2), email("b")] });
    const result = diffRecords(baseline, candidate, { ignore_paths: ["/steps/refund_order/arguments"] });
    expect(result.paths).toEqual(["/steps/send_email/arguments/body"]);
  });

  it("[] in a reported path stands for every item of a list", () => {
    const baseline = record({
      outcome: {
        items: [
          { sku: "a", qty: 1 },
          { sku: "b", qty: 2 },
        ],
      },
    });
    const candidate = record({
      outcome: {
        items: [
          { sku: "x", qty: 1 },
          { sku: "y", qty: 2 },
        ],
      },
    });
    expect(diffRecords(baseline, candidate, { ignore_paths: ["/outcome/items/[]/sku"] }).category).toBe(
      "identical",
    );
  });

  it("a tool's own ignore path / ignores all its arguments", () => {
    const result = diffRecords(record({ steps: [refund("EUR", 1)] }), record({ steps: [refund("USD", 2)] }), {
      tools: { refund_order: { ignore_paths: ["/"] } },
    });
    expect(result.category).toBe("identical");
  });
});

describe("ignore_paths that cannot ignore anything are rejected where they stand", () => {
  const rejected = (document: unknown) => {
    try {
      resolveRules(document, "rules.yaml");
    } catch (error) {
      if (!isShadowdiffError(error)) throw error;
      return { code: error.code, path: error.context.path, message: error.message };
    }
    throw new Error("accepted");
  };

  for (const [pointer, hint] of [
    ["/outcomes/amount", /\/outcome, \/arguments, \/output or \/steps/],
    ["/refusal", /\/outcome, \/arguments, \/output or \/steps/],
    ["/", /everything/],
    ["/output/text", /text/],
    ["/steps:order", /trajectory/],
    ["/steps/refund_order", /trajectory/],
    ["/steps/refund_order:missing", /trajectory/],
    ["/steps/refund_order/result", /arguments/],
  ] as const) {
    it(`${pointer}`, () => {
      const error = rejected({ ignore_paths: ["/outcome/note", pointer] });
      expect(error.code).toBe("INVALID_RULES");
      expect(error.path).toBe("/ignore_paths/1");
      expect(error.message).toContain("rules.yaml");
      expect(error.message).toContain(`'${pointer}'`);
      expect(error.message).toMatch(hint);
    });
  }

  it("accepts every documented root", () => {
    expect(() =>
      resolveRules(
        {
          ignore_paths: [
            "/outcome",
            "/outcome/items/[]/sku",
            "/arguments",
            "/arguments/nonce",
            "/output",
            "/steps/refund_order/arguments/currency",
            "/steps/*/arguments",
          ],
        },
        "rules.yaml",
      ),
    ).not.toThrow();
  });
});
