import { describe, expect, it } from "vitest";
import { TraceHolds } from "../../../src/consume/trace-holds.js";

const acknowledged = (entries: Record<number, number>) =>
  new Map(Object.entries(entries).map(([partition, offset]) => [Number(partition), BigInt(offset)]));

describe("TraceHolds: commit only where a restart re-reads every unit whole or not at all", () => {
  it("holds each partition at the lowest offset of a trace still assembling", () => {
    const holds = new TraceHolds();
    holds.touch("a", 0, 3n);
    holds.touch("a", 0, 5n);
    holds.touch("a", 1, 7n);
    expect(holds.commitPoints(acknowledged({ 0: 6, 1: 8, 2: 4 }))).toEqual(
      acknowledged({ 0: 3, 1: 7, 2: 4 }),
    );
  });

  it("lowers every partition of a stored unit that straddles a commit point, transitively", () => {
    const holds = new TraceHolds();
    // z still assembles at partition 2 offset 0. Stored y (partition 1 offset 2, partition 2
    // offset 0) straddles it, so partition 1 stops at 2; stored x (partition 0 offset 1,
    // partition 1 offset 4) then straddles that, so partition 0 stops at 1.
    for (const [unit, partition, offset] of [
      ["x", 0, 1n],
      ["x", 1, 4n],
      ["y", 1, 2n],
      ["y", 2, 0n],
      ["z", 2, 0n],
    ] as const)
      holds.touch(unit, partition, offset);
    holds.stored([holds.detach("x"), holds.detach("y")]);
    const done = acknowledged({ 0: 2, 1: 5, 2: 6 });
    expect(holds.commitPoints(done)).toEqual(acknowledged({ 0: 1, 1: 2, 2: 0 }));
    expect(holds.size).toBe(3);
    holds.stored([holds.detach("z")]);
    expect(holds.commitPoints(done)).toEqual(done);
    expect(holds.size).toBe(0);
  });

  it("keeps a stored pair straddling an assembling trace, and all it touches, uncommitted", () => {
    const holds = new TraceHolds();
    holds.touch("base", 0, 0n);
    holds.touch("cand", 1, 0n);
    holds.touch("cand", 1, 2n);
    holds.touch("open", 1, 1n);
    const pair = holds.merge([holds.detach("base"), holds.detach("cand")]);
    holds.stored([pair]);
    // open holds partition 1 at 1; the pair's offset 2 there would be re-read, so all of it must
    // be: partition 1 at 0, and its baseline's partition 0 at 0.
    expect(holds.commitPoints(acknowledged({ 0: 1, 1: 3 }))).toEqual(acknowledged({ 0: 0, 1: 0 }));
    const open = holds.detach("open");
    holds.stored([open]);
    expect(holds.commitPoints(acknowledged({ 0: 1, 1: 3 }))).toEqual(acknowledged({ 0: 1, 1: 3 }));
    expect(holds.size).toBe(0);
  });

  it("starts a new hold for a late span of a trace already handed over", () => {
    const holds = new TraceHolds();
    holds.touch("t", 0, 0n);
    const first = holds.detach("t");
    holds.stored([first]);
    holds.touch("t", 0, 4n);
    expect(holds.commitPoints(acknowledged({ 0: 5 }))).toEqual(acknowledged({ 0: 4 }));
    expect(holds.origin(holds.detach("t"))).toEqual({ partition: 0, offset: 4n });
  });
});
