import { describe, expect, it } from "vitest";
import { JoinBuffer, type Waiting } from "../../../src/consume/join-buffer.js";
import type { ExchangeRecord } from "../../../src/contracts/exchange.js";

const entry = (side: "baseline" | "candidate", offset: number, arrivedAt: number, topic = side): Waiting => ({
  side,
  record: { id: `req-${offset}` } as unknown as ExchangeRecord,
  text: "{}",
  topic,
  partition: 0,
  offset: BigInt(offset),
  arrivedAt,
});

describe("JoinBuffer", () => {
  it("pairs a record with its waiting partner from the other side, in either order", () => {
    const buffer = new JoinBuffer();
    expect(buffer.offer("a", entry("candidate", 1, 0)).kind).toBe("waiting");
    const joined = buffer.offer("a", entry("baseline", 7, 10));
    expect(joined.kind).toBe("pair");
    if (joined.kind === "pair") {
      expect(joined.baseline.offset).toBe(7n);
      expect(joined.candidate.offset).toBe(1n);
    }
    expect(buffer.size).toBe(0);
  });

  it("lets a redelivered record of the same side replace the waiting one instead of pairing with it", () => {
    const buffer = new JoinBuffer();
    buffer.offer("a", entry("baseline", 1, 0));
    expect(buffer.offer("a", entry("baseline", 1, 5)).kind).toBe("waiting");
    expect(buffer.size).toBe(1);
  });

  it("expires records older than the window and keeps commits below the oldest waiting offset", () => {
    const buffer = new JoinBuffer();
    buffer.offer("a", entry("baseline", 5, 0));
    buffer.offer("b", entry("baseline", 9, 900));
    buffer.offer("c", entry("candidate", 3, 100));
    expect(buffer.lowestWaitingOffset("baseline")).toBe(5n);
    const expired = buffer.expire(1000, 1000);
    expect(expired.map((waiting) => waiting.offset)).toEqual([5n]);
    expect(buffer.lowestWaitingOffset("baseline")).toBe(9n);
    expect(buffer.lowestWaitingOffset("candidate")).toBe(3n);
    expect(
      buffer
        .expire(2000, 1000)
        .map((waiting) => waiting.offset)
        .sort(),
    ).toEqual([3n, 9n]);
    expect(buffer.lowestWaitingOffset("baseline")).toBeUndefined();
  });
});
