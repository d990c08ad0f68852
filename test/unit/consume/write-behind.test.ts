import { describe, expect, it } from "vitest";
import type { TopicOffset } from "../../../src/consume/consumer-port.js";
import type { PendingBatch } from "../../../src/consume/offset-policy.js";
import { WriteBehind, type WriteBehindOptions } from "../../../src/consume/write-behind.js";
import type { BatchOutput } from "../../../src/pairing/batch-output.js";
import { encodeRows } from "../../../src/store/tab-separated.js";
import { ManualClock, settle } from "./manual-clock.js";
import { RecordingLogger } from "./recording-logger.js";

/** A batch of `pairs` one-column rows from a topic-partition, ending before `next`. */
function batch(partition: number, next: number, pairs: number): PendingBatch {
  return {
    output: {
      pairs: encodeRows(
        Array.from({ length: pairs }, (_, index) => ({ id: `${partition}-${next}-${index}` })),
      ),
      unpaired: [],
      releases: [],
      deadLetters: [],
    },
    offsets: [{ topic: "t", partition, offset: String(next) }],
    tally: { records: pairs, partition, lag: 0, startedAt: 0 },
  };
}

/** A store that acknowledges (or refuses) writes as told, and what happened, in order. */
function recorder(acknowledge: () => boolean = () => true) {
  const events: string[] = [];
  const written: BatchOutput[] = [];
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  let release: (() => void) | undefined;
  let hold = false;
  const options: WriteBehindOptions = {
    maxPairs: 10,
    maxBytes: 1 << 20,
    maxDelayMs: 60_000,
    idleMs: 60_000,
    clock,
    logger,
    store: async (output: BatchOutput) => {
      events.push(`write ${output.pairs.rows}`);
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      const ok = acknowledge();
      if (ok) written.push(output);
      return ok;
    },
    commit: async (offsets: readonly TopicOffset[]) => {
      events.push(`commit ${offsets.map((entry) => `${entry.partition}@${entry.offset}`).join(",")}`);
    },
    onStored: (batches: readonly PendingBatch[]) => {
      events.push(`stored ${batches.length}`);
    },
  };
  return {
    events,
    written,
    clock,
    logger,
    options,
    holdWrites() {
      hold = true;
    },
    releaseWrites() {
      hold = false;
      release?.();
    },
  };
}

const noHeartbeat = async () => {};

describe("WriteBehind", () => {
  it("gathers batches until full, writes them as one, then commits the latest offset per partition", async () => {
    const store = recorder();
    const sink = new WriteBehind(store.options);
    await sink.add(batch(0, 5, 4), noHeartbeat);
    await sink.add(batch(1, 3, 4), noHeartbeat);
    expect(store.events).toEqual([]);
    await sink.add(batch(0, 9, 4), noHeartbeat);
    expect(await sink.drain()).toBe(true);
    expect(store.events).toEqual(["write 12", "commit 0@9,1@3", "stored 3"]);
    expect(store.written[0]?.pairs.rows).toBe(12);
  });

  it("commits nothing for a write the store did not acknowledge", async () => {
    const store = recorder(() => false);
    const sink = new WriteBehind(store.options);
    await sink.add(batch(0, 20, 12), noHeartbeat);
    expect(await sink.drain()).toBe(false);
    expect(store.events).toEqual(["write 12"]);
  });

  it("keeps one write running and one buffer filling: a third batch waits for the running write", async () => {
    const store = recorder();
    const sink = new WriteBehind(store.options);
    store.holdWrites();
    await sink.add(batch(0, 10, 10), noHeartbeat);
    expect(store.events).toEqual(["write 10"]);
    let third = false;
    const waiting = sink.add(batch(0, 20, 10), noHeartbeat).then(() => {
      third = true;
    });
    await store.clock.advance(5_000);
    expect(third).toBe(false);
    store.releaseWrites();
    await waiting;
    expect(third).toBe(true);
    expect(await sink.drain()).toBe(true);
    expect(store.events).toEqual([
      "write 10",
      "commit 0@10",
      "stored 1",
      "write 10",
      "commit 0@20",
      "stored 1",
    ]);
  });

  it("heart-beats about once a second while it waits for a slow write, and logs a heartbeat that failed", async () => {
    const store = recorder();
    const sink = new WriteBehind(store.options);
    store.holdWrites();
    await sink.add(batch(0, 10, 10), noHeartbeat);
    let beats = 0;
    const waiting = sink.add(batch(0, 20, 10), async () => {
      beats++;
      if (beats === 2) throw new Error("not a member any more");
    });
    await store.clock.advance(999);
    expect(beats).toBe(0);
    await store.clock.advance(2_001);
    expect(beats).toBe(3);
    store.releaseWrites();
    await waiting;
    expect(store.logger.at("warn")).toEqual([
      "warn : heartbeat while waiting for the running write failed: not a member any more",
    ]);
    await sink.drain();
  });

  it("writes a buffer that waited long enough, or once no batch came for a while, on a tick", async () => {
    const store = recorder();
    const sink = new WriteBehind({ ...store.options, maxDelayMs: 60_000, idleMs: 30 });
    await sink.add(batch(2, 7, 3), noHeartbeat);
    await store.clock.advance(29);
    sink.tick();
    expect(store.events).toEqual([]);
    await store.clock.advance(1);
    sink.tick();
    expect(await sink.drain()).toBe(true);
    expect(store.events).toEqual(["write 3", "commit 2@7", "stored 1"]);
  });

  it("writes a buffer whose oldest batch waited maxDelayMs on a tick, though batches keep coming", async () => {
    const store = recorder();
    const sink = new WriteBehind({ ...store.options, maxDelayMs: 1_000, idleMs: 250 });
    for (let step = 1; step <= 4; step++) {
      await sink.add(batch(0, step, 1), noHeartbeat);
      await store.clock.advance(200);
      sink.tick();
    }
    expect(store.events).toEqual([]);
    await sink.add(batch(0, 5, 1), noHeartbeat);
    await store.clock.advance(200);
    sink.tick();
    await settle();
    expect(store.events).toEqual(["write 5", "commit 0@5", "stored 5"]);
  });

  it("drains nothing when nothing waits", async () => {
    const store = recorder();
    expect(await new WriteBehind(store.options).drain()).toBe(true);
    expect(store.events).toEqual([]);
  });

  it("logs a commit that failed and still counts the stored batches; the next write commits further", async () => {
    const store = recorder();
    let fail = true;
    const sink = new WriteBehind({
      ...store.options,
      commit: async (offsets) => {
        if (fail) throw new Error("coordinator not available");
        store.events.push(`commit ${offsets.map((entry) => entry.offset).join(",")}`);
      },
    });
    await sink.add(batch(0, 10, 10), noHeartbeat);
    expect(await sink.drain()).toBe(true);
    expect(store.events).toEqual(["write 10", "stored 1"]);
    expect(store.logger.at("warn")).toEqual([
      "warn : offsets not committed (t/0@10); the next write commits further: coordinator not available",
    ]);
    fail = false;
    await sink.add(batch(0, 20, 10), noHeartbeat);
    expect(await sink.drain()).toBe(true);
    expect(store.events.slice(2)).toEqual(["write 10", "commit 20", "stored 1"]);
  });

  it("stops for good after a permanent failure: tells onFailure, drops later batches uncommitted", async () => {
    const store = recorder();
    const failures: unknown[] = [];
    const sink = new WriteBehind({
      ...store.options,
      store: async () => {
        throw new Error("no such column: reason");
      },
      onFailure: (error) => failures.push(error),
    });
    await sink.add(batch(0, 10, 10), noHeartbeat);
    expect(await sink.drain()).toBe(false);
    expect(failures.map(String)).toEqual(["Error: no such column: reason"]);
    await sink.add(batch(0, 20, 10), noHeartbeat);
    expect(await sink.drain()).toBe(false);
    expect(store.events).toEqual([]);
  });

  it("never runs two writes at once, even when batches arrive while it drains", async () => {
    let inFlight = 0;
    let most = 0;
    const commits: string[] = [];
    const clock = new ManualClock();
    const sink = new WriteBehind({
      maxPairs: 10,
      maxBytes: 1 << 20,
      maxDelayMs: 60_000,
      idleMs: 60_000,
      clock,
      logger: new RecordingLogger(),
      store: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return true;
      },
      commit: async (offsets: readonly TopicOffset[]) => {
        commits.push(offsets.map((entry) => entry.offset).join(","));
      },
      onStored: () => {},
    });
    await sink.add(batch(0, 15, 5), noHeartbeat);
    const draining = sink.drain();
    await sink.add(batch(0, 30, 15), noHeartbeat);
    expect(await draining).toBe(true);
    expect(await sink.drain()).toBe(true);
    expect(most).toBe(1);
    // Offsets only move forward (batches waiting together are written, and committed, as one).
    const offsets = commits.map(Number);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(offsets.at(-1)).toBe(30);
  });
});
