import { describe, expect, it } from "vitest";
import { call, record } from "../records.js";
import { diffRecords } from "./trace-helpers.js";

const lookup = (turn: number) => call("lookup_account", { email: "a@example.com" }, turn);
const order = (turn: number) => call("get_order", { order_id: "O-1" }, turn);
const refund = (
  turn: number,
  args: Record<string, unknown> = { order_id: "O-1", amount: 42, currency: "EUR" },
) => call("refund_order", args, turn);
const email = (turn: number) => call("send_email", { to: "a@example.com", body: "done" }, turn);
const cancel = (turn: number) => call("cancel_order", { order_id: "O-1" }, turn);

describe("a changed turn structure is not called a reordering", () => {
  it("one parallel turn split into one call per turn", () => {
    const result = diffRecords(
      record({ steps: [lookup(0), order(0), email(0)] }),
      record({ steps: [lookup(0), order(1), email(2)] }),
    );
    expect(result.category).toBe("tool_sequence_drift");
    expect(result.reason).toBe("same calls, split into 3 turns instead of 1");
    expect(result.paths).toEqual(["/steps:turns"]);
  });

  it("calls of several turns merged into one parallel turn", () => {
    const result = diffRecords(
      record({ steps: [lookup(0), order(1), email(2)] }),
      record({ steps: [email(0), lookup(0), order(0)] }),
    );
    expect(result.reason).toBe("same calls, merged into 1 turn instead of 3");
    expect(result.paths).toEqual(["/steps:turns"]);
  });

  it("the same calls in the same order grouped otherwise", () => {
    const result = diffRecords(
      record({ steps: [lookup(0), order(0), email(1)] }),
      record({ steps: [lookup(0), order(1), email(1)] }),
    );
    expect(result.reason).toBe("same calls, regrouped into 2 turns");
    expect(result.paths).toEqual(["/steps:turns"]);
  });

  it("a call that moves across another is still a reordering, even when turns split too", () => {
    const result = diffRecords(
      record({ steps: [refund(0), lookup(0), email(1)] }),
      record({ steps: [lookup(0), email(1), refund(2)] }),
    );
    expect(result.reason).toMatch(/^calls reordered across turns/);
    expect(result.paths).toEqual(["/steps:order"]);
  });

  it("repeated calls of one tool are matched in order before deciding", () => {
    const result = diffRecords(
      record({ steps: [lookup(0), lookup(0), order(1)] }),
      record({ steps: [lookup(0), lookup(1), order(2)] }),
    );
    expect(result.reason).toBe("same calls, split into 3 turns instead of 2");
  });
});

describe("subset and superset reasons lead with what the mode does not allow", () => {
  it("subset: an added call is the reason; calls left out are allowed and not reported", () => {
    const result = diffRecords(
      record({ steps: [lookup(0), refund(1), email(2)] }),
      record({ steps: [lookup(0), cancel(1)] }),
      { trajectory: "subset" },
    );
    expect(result.category).toBe("tool_sequence_drift");
    expect(result.reason).toBe("cancel_order added in candidate");
    expect(result.paths).toEqual(["/steps/cancel_order:extra"]);
  });

  it("superset: a missing call is the reason; added calls are allowed and not reported", () => {
    const result = diffRecords(
      record({ steps: [lookup(0), refund(1)] }),
      record({ steps: [lookup(0), cancel(1), email(2)] }),
      { trajectory: "superset" },
    );
    expect(result.reason).toBe("refund_order missing in candidate");
    expect(result.paths).toEqual(["/steps/refund_order:missing"]);
  });

  it("subset arguments: an argument left out is allowed, a changed one is the reason", () => {
    const result = diffRecords(
      record({ steps: [refund(0, { amount: 42, currency: "EUR", order_id: "O-1" })] }),
      record({ steps: [refund(0, { order_id: "O-2" })] }),
      { arguments: "subset" },
    );
    expect(result.category).toBe("args_drift");
    expect(result.reason).toBe('refund_order: arguments.order_id "O-1" → "O-2"');
    expect(result.paths).toEqual(["/steps/refund_order/arguments/order_id"]);
  });

  it("superset arguments: an added argument is allowed, a changed one is the reason", () => {
    const result = diffRecords(
      record({ steps: [refund(0, { order_id: "O-1" })] }),
      record({ steps: [refund(0, { amount: 1, order_id: "O-2" })] }),
      { tools: { refund_order: { arguments: "superset" } } },
    );
    expect(result.reason).toBe('refund_order: arguments.order_id "O-1" → "O-2"');
    expect(result.paths).toEqual(["/steps/refund_order/arguments/order_id"]);
  });

  it("subset arguments still report a left-out item of a list (lists are compared whole)", () => {
    const result = diffRecords(
      record({ steps: [call("ship", { skus: ["a", "b"] }, 0)] }),
      record({ steps: [call("ship", { skus: ["a"] }, 0)] }),
      { arguments: "subset" },
    );
    expect(result.category).toBe("args_drift");
    expect(result.reason).toBe("ship: arguments.skus.1 missing in candidate");
  });
});
