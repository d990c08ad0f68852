import { describe, expect, it } from "vitest";
import { record } from "../records.js";
import { diffRecords } from "./trace-helpers.js";

/** An outcome that lists the writes an agent made, as tau-bench style environments report them. */
const write = (name: string, args: Record<string, unknown>) => ({ name, arguments: args });
const withWrites = (...writes: unknown[]) => record({ outcome: { status: "done", writes } });

const updateFlights = write("update_reservation_flights", {
  reservation_id: "ZFA04Y",
  cabin: "economy",
  flights: [{ flight_number: "HAT011", date: "2024-05-20" }],
});
const bookReservation = write("book_reservation", {
  user_id: "lucas_brown_4047",
  origin: "JFK",
  destination: "SEA",
  cabin: "economy",
});
const cancel = write("cancel_reservation", { reservation_id: "ZFA04Y" });
const refund = (amount: number) => write("refund", { reservation_id: "ZFA04Y", amount });

describe("outcome lists are aligned by content, not by position", () => {
  it("a replaced write leads the reason with the name change, not with an argument of the other call", () => {
    const result = diffRecords(withWrites(updateFlights), withWrites(bookReservation));
    expect(result.category).toBe("outcome_mismatch");
    expect(result.reason).toBe("outcome.writes.0: update_reservation_flights → book_reservation");
    expect(result.paths).toEqual(["/outcome/writes/[]/name"]);
  });

  it("the name change leads even when a key sorted before the list differs too", () => {
    const baseline = record({ outcome: { count: 1, writes: [updateFlights] } });
    const candidate = record({ outcome: { count: 2, writes: [bookReservation] } });
    const result = diffRecords(baseline, candidate);
    expect(result.reason).toBe("outcome.writes.0: update_reservation_flights → book_reservation");
    expect(result.paths).toEqual(["/outcome/count", "/outcome/writes/[]/name"]);
  });

  it("an item inserted in front is one added item, not every later item changed", () => {
    const result = diffRecords(withWrites(cancel, refund(5)), withWrites(updateFlights, cancel, refund(5)));
    expect(result.reason).toBe("outcome.writes.0 added in candidate");
    expect(result.paths).toEqual(["/outcome/writes/[]"]);
  });

  it("an item left out is one missing item", () => {
    const result = diffRecords(withWrites(cancel, updateFlights, refund(5)), withWrites(cancel, refund(5)));
    expect(result.reason).toBe("outcome.writes.1 missing in candidate");
    expect(result.paths).toEqual(["/outcome/writes/[]"]);
  });

  it("items of the same name are compared with each other wherever they sit", () => {
    const result = diffRecords(withWrites(cancel, refund(5)), withWrites(refund(6), cancel));
    expect(result.reason).toBe("outcome.writes.1.arguments.amount 5 → 6");
    expect(result.paths).toEqual(["/outcome/writes/[]/arguments/amount"]);
  });

  it("the same items in another order say so, under a path of their own", () => {
    const result = diffRecords(withWrites(cancel, refund(5)), withWrites(refund(5), cancel));
    expect(result.category).toBe("outcome_mismatch");
    expect(result.reason).toBe("outcome.writes: same items in another order");
    expect(result.paths).toEqual(["/outcome/writes:order"]);
  });

  it("a root list in another order keeps an outcome path", () => {
    const result = diffRecords(record({ outcome: ["a", "b"] }), record({ outcome: ["b", "a"] }));
    expect(result.reason).toBe("outcome: same items in another order");
    expect(result.paths).toEqual(["/outcome:order"]);
  });

  it("the same change gives the same paths whatever the names and values", () => {
    const one = diffRecords(withWrites(cancel, updateFlights), withWrites(cancel, bookReservation));
    const other = diffRecords(withWrites(refund(1)), withWrites(write("send_certificate", { amount: 9 })));
    expect(one.paths).toEqual(other.paths);
  });

  it("a changed type field of list items is a replacement too", () => {
    const result = diffRecords(
      record({ outcome: { events: [{ type: "refund", amount: 5 }] } }),
      record({ outcome: { events: [{ type: "exchange", sku: "B-2" }] } }),
    );
    expect(result.reason).toBe("outcome.events.0: refund → exchange");
    expect(result.paths).toEqual(["/outcome/events/[]/type"]);
  });

  it("lists of plain values pair equal values first", () => {
    const result = diffRecords(
      record({ outcome: { tags: ["a", "b", "c"] } }),
      record({ outcome: { tags: ["b", "c", "d"] } }),
    );
    expect(result.reason).toBe('outcome.tags.0 "a" → "d"');
    expect(result.paths).toEqual(["/outcome/tags/[]"]);
  });

  it("tool-call argument lists are aligned the same way", () => {
    const items = (...skus: string[]) => skus.map((sku) => ({ sku }));
    const step = (skus: string[]) => ({
      type: "tool_call" as const,
      name: "ship",
      arguments: { items: items(...skus) },
      turn: 0,
    });
    const result = diffRecords(
      record({ steps: [step(["a", "b"])] }),
      record({ steps: [step(["x", "a", "b"])] }),
    );
    expect(result.reason).toBe("ship: arguments.items.0 added in candidate");
    expect(result.paths).toEqual(["/steps/ship/arguments/items/[]"]);
  });
});
