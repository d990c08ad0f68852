import { describe, expect, it } from "vitest";
import { call, record } from "../records.js";
import { diffRecords } from "./trace-helpers.js";

const lookup = call("lookup_account", { email: "a@example.com" }, 0);
const order = call("get_order", { order_id: "O-1" }, 0);
const refund = (
  turn: number,
  args: Record<string, unknown> = { order_id: "O-1", amount: 42, currency: "EUR" },
) => call("refund_order", args, turn);
const email = (turn: number) => call("send_email", { to: "a@example.com", body: "done" }, turn);

describe("trajectory match", () => {
  it("strict: reordering calls inside one turn is identical", () => {
    const result = diffRecords(record({ steps: [lookup, order] }), record({ steps: [order, lookup] }));
    expect(result.category).toBe("identical");
    expect(result.editDistance).toBe(0);
  });

  it("strict: reordering calls across turns is tool_sequence_drift, unordered calls it identical", () => {
    const baseline = record({ steps: [refund(1), email(2)] });
    const candidate = record({ steps: [email(1), refund(2)] });
    const strict = diffRecords(baseline, candidate);
    expect(strict.category).toBe("tool_sequence_drift");
    expect(strict.paths).toEqual(["/steps:order"]);
    expect(strict.reason).toMatch(/reordered across turns/);
    expect(diffRecords(baseline, candidate, { trajectory: "unordered" }).category).toBe("identical");
  });

  it("strict: a step without a turn is its own turn", () => {
    const baseline = record({ steps: [call("a", {}), call("b", {})] });
    const candidate = record({ steps: [call("b", {}), call("a", {})] });
    expect(diffRecords(baseline, candidate).category).toBe("tool_sequence_drift");
  });

  it("strict: splitting one parallel turn into two is sequence drift", () => {
    const baseline = record({ steps: [lookup, order] });
    const candidate = record({ steps: [lookup, call("get_order", { order_id: "O-1" }, 1)] });
    expect(diffRecords(baseline, candidate).category).toBe("tool_sequence_drift");
    expect(diffRecords(baseline, candidate, { trajectory: "unordered" }).category).toBe("identical");
  });

  it("names missing and extra calls in the reason and paths", () => {
    const result = diffRecords(
      record({ steps: [lookup, refund(1), email(2)] }),
      record({ steps: [lookup, refund(1), call("cancel_order", {}, 2)] }),
    );
    expect(result.category).toBe("tool_sequence_drift");
    expect(result.reason).toBe("send_email missing in candidate; cancel_order added in candidate");
    expect(result.paths).toEqual(["/steps/cancel_order:extra", "/steps/send_email:missing"]);
  });

  it("subset: the candidate may leave calls out but not add any", () => {
    const baseline = record({ steps: [lookup, refund(1), email(2)] });
    expect(
      diffRecords(baseline, record({ steps: [lookup, refund(1)] }), { trajectory: "subset" }).category,
    ).toBe("identical");
    expect(
      diffRecords(baseline, record({ steps: [lookup, refund(1), email(2), email(3)] }), {
        trajectory: "subset",
      }).category,
    ).toBe("tool_sequence_drift");
  });

  it("superset: the candidate may add calls but not leave any out", () => {
    const baseline = record({ steps: [lookup, refund(1)] });
    expect(
      diffRecords(baseline, record({ steps: [lookup, refund(1), email(2)] }), { trajectory: "superset" })
        .category,
    ).toBe("identical");
    expect(diffRecords(baseline, record({ steps: [lookup] }), { trajectory: "superset" }).category).toBe(
      "tool_sequence_drift",
    );
  });

  it("matches optimally where a greedy pairing would fail", () => {
    // With subset arguments the baseline call {id:1, x:1} accepts both candidate calls and
    // {id:1, y:2} accepts only {id:1}. A greedy pass pairs {id:1, x:1} with {id:1} first and is
    // left with no partner for {id:1, y:2}; a maximum matching finds the perfect pairing.
    const baseline = record({ steps: [call("t", { id: 1, x: 1 }, 0), call("t", { id: 1, y: 2 }, 0)] });
    const candidate = record({ steps: [call("t", { id: 1 }, 0), call("t", { id: 1, x: 1 }, 0)] });
    expect(diffRecords(baseline, candidate, { arguments: "subset" }).category).toBe("identical");
  });
});

describe("argument match", () => {
  it("explains a dropped argument in one line", () => {
    const baseline = record({ steps: [refund(0)] });
    const candidate = record({ steps: [refund(0, { order_id: "O-1", amount: 42 })] });
    const result = diffRecords(baseline, candidate);
    expect(result.category).toBe("args_drift");
    expect(result.reason).toBe("refund_order: arguments.currency missing in candidate");
    expect(result.paths).toEqual(["/steps/refund_order/arguments/currency"]);
  });

  it("honours per-tool argument modes", () => {
    const baseline = record({ steps: [email(0)] });
    const candidate = record({ steps: [call("send_email", { to: "a@example.com", body: "all done" }, 0)] });
    expect(diffRecords(baseline, candidate).category).toBe("args_drift");
    expect(
      diffRecords(baseline, candidate, { tools: { send_email: { arguments: "ignore" } } }).category,
    ).toBe("identical");
  });

  it("applies numeric tolerance", () => {
    const baseline = record({ steps: [refund(0, { amount: 100 })] });
    const candidate = record({ steps: [refund(0, { amount: 100.4 })] });
    expect(diffRecords(baseline, candidate).category).toBe("args_drift");
    expect(
      diffRecords(baseline, candidate, { numeric_tolerance: { absolute: 0.5, relative: 0 } }).category,
    ).toBe("identical");
  });

  it("superset arguments accept extra candidate arguments only", () => {
    const baseline = record({ steps: [refund(0, { amount: 1 })] });
    expect(
      diffRecords(baseline, record({ steps: [refund(0, { amount: 1, note: "x" })] }), {
        arguments: "superset",
      }).category,
    ).toBe("identical");
    expect(
      diffRecords(baseline, record({ steps: [refund(0, {})] }), { arguments: "superset" }).category,
    ).toBe("args_drift");
  });
});
