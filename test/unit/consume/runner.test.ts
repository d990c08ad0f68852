import { describe, expect, it } from "vitest";
import type { BatchHandler, HandledBatch } from "../../../src/consume/batch-handler.js";
import { ConsumeMetrics } from "../../../src/consume/consume-metrics.js";
import { DRAIN_ON_STOP_MS, type RunnerOptions, runConsumer } from "../../../src/consume/runner.js";
import { WriteBehindPolicy } from "../../../src/consume/write-behind-policy.js";
import { ShadowdiffError } from "../../../src/contracts/errors.js";
import type { ReleaseRow } from "../../../src/contracts/pair-row.js";
import type { BatchOutput } from "../../../src/pairing/batch-output.js";
import type { RawMessage } from "../../../src/pairing/recorded-batch.js";
import { encodeRows } from "../../../src/store/tab-separated.js";
import { InMemoryPort } from "./in-memory-port.js";
import { InMemoryWriter } from "./in-memory-writer.js";
import { ManualClock, settle } from "./manual-clock.js";
import { RecordingLogger } from "./recording-logger.js";

/** One pair row per message, and the release row once: the handler's work as plain data. */
class OnePairPerMessage implements BatchHandler {
  handled = 0;
  private registered = false;

  async handle(batch: HandledBatch, version: number): Promise<BatchOutput> {
    this.handled++;
    const releases: ReleaseRow[] = this.registered ? [] : [releaseRow(version)];
    this.registered = true;
    return {
      pairs: encodeRows(batch.messages.map((message) => ({ id: `${batch.partition}-${message.offset}` }))),
      unpaired: [],
      releases,
      deadLetters: [],
    };
  }
}

function releaseRow(version: number): ReleaseRow {
  return {
    release_id: "sha256:cand",
    name: "c",
    release_version: "1",
    model: "m",
    manifest: "",
    registered_at: 0,
    version,
  };
}

function messages(first: number, count: number): RawMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    key: null,
    value: Buffer.from("{}"),
    offset: String(first + index),
  }));
}

/** A runner over the in-memory port, store and clock; `start` runs it until it ends. */
function harness(
  overrides: Partial<RunnerOptions> = {},
  flush = { maxPairs: 10, maxBytes: 1 << 20, maxDelayMs: 60_000 },
) {
  const port = new InMemoryPort();
  const writer = new InMemoryWriter();
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const metrics = new ConsumeMetrics();
  const controller = new AbortController();
  const handler = new OnePairPerMessage();
  const options: RunnerOptions = {
    port,
    topic: "base",
    topics: ["base"],
    fromBeginning: true,
    deadLetterTopic: "base.dead-letter",
    concurrency: 1,
    handler,
    policy: (context) => new WriteBehindPolicy(context, "base", flush),
    writer,
    signal: controller.signal,
    metrics,
    clock,
    logger,
    ...overrides,
  };
  let outcome: { ok: true } | { ok: false; error: unknown } | undefined;
  const start = async () => {
    const running = runConsumer(options).then(
      () => {
        outcome = { ok: true };
      },
      (error: unknown) => {
        outcome = { ok: false, error };
      },
    );
    await settle();
    port.assign({ base: [1, 0] });
    return running;
  };
  return { port, writer, clock, logger, metrics, controller, handler, start, outcome: () => outcome };
}

describe("the consumer runner", () => {
  it("connects, subscribes, and hands batches to the handler then the policy", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    expect(run.port.events.slice(0, 3)).toEqual(["connect", "subscribe base from beginning", "run"]);
    await run.port.deliver(run.port.batch("base", 0, messages(0, 4), 3));
    expect(run.handler.handled).toBe(1);
    run.controller.abort();
    await running;
    expect(run.outcome()).toEqual({ ok: true });
    expect(run.metrics.records).toBe(4);
    expect(run.metrics.pairs).toBe(4);
    expect(run.metrics.lag.get(0)).toBe(3);
  });

  it("exits when idle only if a fetch the broker answered backs the quiet period", async () => {
    const run = harness({ idleExitMs: 2_000 });
    const running = run.start();
    await settle();
    // The broker is away: no answered fetch, so 10 s of quiet is not idleness.
    await run.clock.advance(10_000);
    expect(run.outcome()).toBeUndefined();
    run.port.fetched();
    await run.clock.advance(250);
    await running;
    expect(run.outcome()).toEqual({ ok: true });
    expect(run.port.events.slice(-4)).toEqual(["pause base", "stop", "disconnect", "disconnect sender"]);
  });

  it("does not exit while records keep coming, and stores what it gathered before leaving", async () => {
    const run = harness({ idleExitMs: 2_000 });
    const running = run.start();
    await settle();
    for (let second = 0; second < 5; second++) {
      await run.port.deliver(run.port.batch("base", 0, messages(second, 1)));
      await run.clock.advance(1_000);
    }
    expect(run.outcome()).toBeUndefined();
    run.port.fetched();
    await run.clock.advance(2_000);
    await running;
    expect(run.writer.pairs).toBe(5);
    expect(run.port.committed.flat().at(-1)).toEqual({ topic: "base", partition: 0, offset: "5" });
  });

  it("on abort pauses, drains for at most DRAIN_ON_STOP_MS, and leaves uncommitted what the store did not take", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    await run.port.deliver(run.port.batch("base", 0, messages(0, 3)));
    let releaseStore = () => {};
    run.writer.gate = () => new Promise<void>((resolve) => (releaseStore = resolve));
    run.controller.abort();
    await run.clock.advance(DRAIN_ON_STOP_MS - 1);
    expect(run.outcome()).toBeUndefined();
    expect(run.port.events).toContain("pause base");
    await run.clock.advance(1);
    await running;
    expect(run.outcome()).toEqual({ ok: true });
    expect(run.port.committed).toEqual([]);
    expect(run.port.events.slice(-3)).toEqual(["stop", "disconnect", "disconnect sender"]);
    releaseStore();
  });

  it("on abort commits what the store acknowledged while draining, before leaving the group", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    await run.port.deliver(run.port.batch("base", 1, messages(40, 3)));
    run.controller.abort();
    await running;
    const events = run.port.events;
    expect(events.indexOf("commit base/1@43")).toBeGreaterThan(events.indexOf("pause base"));
    expect(events.indexOf("commit base/1@43")).toBeLessThan(events.indexOf("stop"));
    expect(run.writer.writes).toEqual(["releases 1", "pairs 3"]);
  });

  it("ends the run with a store failure no retry fixes, committing nothing and not draining", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    const rejected = new ShadowdiffError("STORE_QUERY_FAILED", "db.pairs: no column reason");
    run.writer.failures.push(rejected);
    // Ten pairs fill the write-behind: the write starts at once and fails for good.
    await run.port.deliver(run.port.batch("base", 0, messages(0, 10)));
    await running;
    expect(run.outcome()).toEqual({ ok: false, error: rejected });
    expect(run.port.committed).toEqual([]);
    expect(run.port.events).not.toContain("pause base");
    expect(run.port.events.slice(-3)).toEqual(["stop", "disconnect", "disconnect sender"]);
  });

  it("retries a retriable store failure with backoff, paused and heart-beating, then resumes and commits", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    const away = () => new ShadowdiffError("STORE_UNAVAILABLE", "connect ECONNREFUSED", { retriable: true });
    run.writer.failures.push(away(), away(), away());
    const batch = run.port.batch("base", 0, messages(0, 10));
    await run.port.deliver(batch);
    // First attempt failed at once: paused, nothing committed.
    expect(run.port.pausedTopics.has("base")).toBe(true);
    expect(run.metrics.storeRetries).toBe(1);
    // Backoff: 125-250 ms, then 250-500, then 500-1000 (jitter halves at most).
    await run.clock.advance(249);
    expect(run.metrics.storeRetries).toBeGreaterThanOrEqual(1);
    await run.clock.advance(2_000);
    expect(run.metrics.storeRetries).toBe(3);
    expect(run.writer.writes.filter((write) => write.startsWith("failed"))).toHaveLength(3);
    expect(run.port.pausedTopics.has("base")).toBe(false);
    // One heartbeat after each wait, one after the batch was settled.
    expect(batch.heartbeats).toBe(4);
    expect(run.port.committed).toEqual([[{ topic: "base", partition: 0, offset: "10" }]]);
    const events = run.port.events;
    expect(events.indexOf("pause base")).toBeLessThan(events.indexOf("resume base"));
    expect(events.indexOf("resume base")).toBeLessThan(events.indexOf("commit base/0@10"));
    run.controller.abort();
    await running;
  });

  it("commits a batch only after the store acknowledged the write holding it", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    let releaseStore = () => {};
    run.writer.gate = () => new Promise<void>((resolve) => (releaseStore = resolve));
    const delivered = run.port.deliver(run.port.batch("base", 0, messages(0, 10)));
    await settle();
    expect(run.port.committed).toEqual([]);
    run.writer.gate = async () => {};
    releaseStore();
    await delivered;
    await settle();
    expect(run.port.committed).toEqual([[{ topic: "base", partition: 0, offset: "10" }]]);
    run.controller.abort();
    await running;
  });

  it("neither resolves nor commits a stale batch; its releases go with the next batch", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    const stale = run.port.batch("base", 0, messages(0, 4));
    stale.stale = true;
    await run.port.deliver(stale);
    expect(stale.resolved).toBeUndefined();
    const fresh = run.port.batch("base", 0, messages(0, 10));
    await run.port.deliver(fresh);
    await settle();
    expect(fresh.resolved).toBe("9");
    expect(run.writer.writes).toEqual(["releases 1", "pairs 10"]);
    expect(run.port.committed).toEqual([[{ topic: "base", partition: 0, offset: "10" }]]);
    expect(run.metrics.records).toBe(10);
    run.controller.abort();
    await running;
  });

  it("commits only partitions this member still owns", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    await run.port.deliver(run.port.batch("base", 2, messages(0, 3)));
    run.port.assign({ base: [0, 1] });
    await run.port.deliver(run.port.batch("base", 0, messages(0, 7)));
    await settle();
    expect(run.port.committed).toEqual([[{ topic: "base", partition: 0, offset: "7" }]]);
    run.controller.abort();
    await running;
  });

  it("logs, at warn, a commit that failed and a stop that failed, and still leaves the group", async () => {
    const run = harness();
    const running = run.start();
    await settle();
    run.port.failCommits = true;
    run.port.failStop = true;
    await run.port.deliver(run.port.batch("base", 0, messages(0, 10)));
    await settle();
    run.controller.abort();
    await running;
    expect(run.logger.at("warn")).toEqual([
      "warn write-behind: offsets not committed (base/0@10); the next write commits further: the group coordinator is not available",
      "warn runner: stopping the fetch loop failed: stop timed out",
    ]);
    expect(run.port.events.slice(-2)).toEqual(["disconnect", "disconnect sender"]);
  });

  it("reports this member's partitions of the baseline topic, sorted, at each assignment", async () => {
    const assignments: (readonly number[])[] = [];
    const run = harness({ onAssignment: (partitions) => assignments.push(partitions) });
    const running = run.start();
    await settle();
    run.port.assign({ base: [3, 1], other: [0] });
    expect(assignments).toEqual([
      [0, 1],
      [1, 3],
    ]);
    run.controller.abort();
    await running;
  });
});
