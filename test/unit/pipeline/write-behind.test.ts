import { describe, expect, it } from "vitest";
import { type BatchResult, type TopicOffset, WriteBehind } from "../../../src/pipeline/write-behind.js";
import { encodeRows } from "../../../src/store/tab-separated.js";

/** A batch of `pairs` one-column rows from a topic-partition, ending before `next`. */
function batch(partition: number, next: number, pairs: number): BatchResult {
  return {
    pairs: encodeRows(Array.from({ length: pairs }, (_, index) => ({ id: `${partition}-${next}-${index}` }))),
    unpaired: [],
    releases: [],
    deadLetters: [],
    offsets: [{ topic: "t", partition, offset: String(next) }],
  };
}

/** A store that acknowledges (or refuses) writes as told, and what happened, in order. */
function recorder(acknowledge: () => boolean = () => true) {
  const events: string[] = [];
  const written: BatchResult[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  return {
    events,
    written,
    holdWrites() {
      hold = true;
    },
    releaseWrites() {
      hold = false;
      release?.();
    },
    options: {
      maxPairs: 10,
      maxBytes: 1 << 20,
      maxDelayMs: 60_000,
      idleMs: 60_000,
      store: async (output: BatchResult) => {
        events.push(`write ${output.pairs.rows}`);
        if (hold) await new Promise<void>((resolve) => (release = resolve));
        const ok = acknowledge();
        if (ok) written.push(output);
        return ok;
      },
      commit: async (offsets: readonly TopicOffset[]) => {
        events.push(`commit ${offsets.map((entry) => `${entry.partition}@${entry.offset}`).join(",")}`);
      },
      onStored: (batches: readonly BatchResult[]) => {
        events.push(`stored ${batches.length}`);
      },
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
    await new Promise((resolve) => setTimeout(resolve, 20));
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

  it("heart-beats while it waits for a slow write", async () => {
    const store = recorder();
    const sink = new WriteBehind(store.options);
    store.holdWrites();
    await sink.add(batch(0, 10, 10), noHeartbeat);
    let beats = 0;
    const waiting = sink.add(batch(0, 20, 10), async () => {
      beats++;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    store.releaseWrites();
    await waiting;
    expect(beats).toBeGreaterThanOrEqual(1);
    await sink.drain();
  });

  it("writes a buffer that waited long enough, or once no batch came for a while, on a tick", async () => {
    const store = recorder();
    const sink = new WriteBehind({ ...store.options, maxDelayMs: 60_000, idleMs: 30 });
    await sink.add(batch(2, 7, 3), noHeartbeat);
    sink.tick();
    expect(store.events).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    sink.tick();
    expect(await sink.drain()).toBe(true);
    expect(store.events).toEqual(["write 3", "commit 2@7", "stored 1"]);
  });

  it("drains nothing when nothing waits", async () => {
    const store = recorder();
    expect(await new WriteBehind(store.options).drain()).toBe(true);
    expect(store.events).toEqual([]);
  });

  it("never runs two writes at once, even when batches arrive while it drains", async () => {
    let inFlight = 0;
    let most = 0;
    const commits: string[] = [];
    const sink = new WriteBehind({
      maxPairs: 10,
      maxBytes: 1 << 20,
      maxDelayMs: 60_000,
      idleMs: 60_000,
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
