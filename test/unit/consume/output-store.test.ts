import { describe, expect, it } from "vitest";
import { OutputStore } from "../../../src/consume/output-store.js";
import { ShadowdiffError } from "../../../src/contracts/errors.js";
import type { BatchOutput } from "../../../src/pairing/batch-output.js";
import { unpairedRow } from "../../../src/pairing/pair-builder.js";
import { encodeRows } from "../../../src/store/tab-separated.js";
import { InMemoryWriter } from "./in-memory-writer.js";
import { ManualClock } from "./manual-clock.js";
import { RecordingLogger } from "./recording-logger.js";

const record = {
  id: "req-1",
  ts: "2026-11-20T09:00:05.484Z",
  labels: {},
} as unknown as Parameters<typeof unpairedRow>[0];

const output: BatchOutput = {
  pairs: encodeRows([{ id: 1 }, { id: 2 }]),
  unpaired: [unpairedRow(record, "baseline", "sha256:c", 1)],
  releases: [],
  deadLetters: [{ key: null, value: Buffer.from("x"), headers: {} }],
};

function harness() {
  const writer = new InMemoryWriter();
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const controller = new AbortController();
  const sent: string[] = [];
  let retries = 0;
  const store = new OutputStore({
    writer,
    sendDeadLetters: async (messages) => {
      sent.push(`dead letters ${messages.length}`);
    },
    signal: controller.signal,
    clock,
    logger,
    onRetry: () => retries++,
    random: () => 0.999,
  });
  const pauses: string[] = [];
  const pause = () => {
    pauses.push("pause");
    return () => pauses.push("resume");
  };
  let beats = 0;
  const heartbeat = async () => {
    beats++;
    throw new Error("rebalancing");
  };
  return {
    writer,
    clock,
    logger,
    controller,
    sent,
    store,
    pauses,
    pause,
    heartbeat,
    beats: () => beats,
    retries: () => retries,
  };
}

describe("OutputStore", () => {
  it("sends dead letters first, then writes pairs and unpaired records", async () => {
    const run = harness();
    await run.store.write(output);
    expect(run.sent).toEqual(["dead letters 1"]);
    expect(run.writer.writes).toEqual(["pairs 2", "unpaired 1"]);
  });

  it("gives up a retry loop when the consumer stops, resuming what it paused", async () => {
    const run = harness();
    const away = () => new ShadowdiffError("STORE_UNAVAILABLE", "ECONNREFUSED", { retriable: true });
    for (let attempt = 0; attempt < 10; attempt++) run.writer.failures.push(away());
    const writing = run.store.writeUntilDone(output, run.pause, run.heartbeat);
    await run.clock.advance(250 + 500);
    expect(run.retries()).toBe(3);
    run.controller.abort();
    expect(await writing).toBe(false);
    expect(run.pauses).toEqual(["pause", "resume"]);
    // Every failed heartbeat was logged, not swallowed.
    expect(run.logger.at("warn")).toHaveLength(run.beats());
    expect(run.logger.at("warn")[0]).toBe(
      "warn store: heartbeat while the store is away failed: rebalancing",
    );
  });

  it("throws a permanent failure at once, without pausing or retrying", async () => {
    const run = harness();
    const rejected = new ShadowdiffError("STORE_QUERY_FAILED", "no such column");
    run.writer.failures.push(rejected);
    await expect(run.store.writeUntilDone(output, run.pause, run.heartbeat)).rejects.toBe(rejected);
    expect(run.pauses).toEqual([]);
    expect(run.retries()).toBe(0);
  });
});
