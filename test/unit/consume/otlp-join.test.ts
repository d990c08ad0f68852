import { describe, expect, it } from "vitest";
import { ConsumeMetrics } from "../../../src/consume/consume-metrics.js";
import type { PolicyContext } from "../../../src/consume/offset-policy.js";
import { OtlpJoinHandler } from "../../../src/consume/otlp-join-handler.js";
import { OtlpJoinPolicy } from "../../../src/consume/otlp-join-policy.js";
import { OutputStore } from "../../../src/consume/output-store.js";
import { releaseMatches, TRACE_ID_HEADER, TraceJoin } from "../../../src/consume/trace-join.js";
import { readPricing } from "../../../src/contracts/read-pricing.js";
import { resolveRules } from "../../../src/normalize/resolve-rules.js";
import { PairBuilder } from "../../../src/pairing/pair-builder.js";
import { PairDiffer } from "../../../src/pairing/pair-differ.js";
import type { RawMessage } from "../../../src/pairing/recorded-batch.js";
import { TraceIngest } from "../../../src/sources/otel/trace-ingest.js";
import { InMemoryPort } from "./in-memory-port.js";
import { InMemoryWriter } from "./in-memory-writer.js";
import { ManualClock } from "./manual-clock.js";
import { otlpMessages, testTrace } from "./otlp-traces.js";
import { RecordingLogger } from "./recording-logger.js";

const pricing = await readPricing();
const GRACE_MS = 2_000;
const TOPIC = "spans";

function harness({ windowMs = 60_000, maxTraces = 100 } = {}) {
  const clock = new ManualClock();
  const port = new InMemoryPort();
  const writer = new InMemoryWriter();
  const logger = new RecordingLogger();
  const metrics = new ConsumeMetrics();
  const builder = new PairBuilder(new PairDiffer(resolveRules(undefined), []), [], pricing);
  const ingest = new TraceIngest(
    { graceMs: GRACE_MS, idleMs: 30_000, maxTraces, maxSpans: 10_000, now: () => clock.now() },
    `kafka:${TOPIC}`,
  );
  const join = new TraceJoin({ topic: TOPIC, baselineRelease: "rel-base", windowMs }, ingest, builder);
  const handler = new OtlpJoinHandler(join, clock);
  const context: PolicyContext = {
    port,
    store: new OutputStore({
      writer,
      sendDeadLetters: (letters) => port.sendDeadLetters(`${TOPIC}.dead-letter`, letters),
      signal: new AbortController().signal,
      clock,
      logger,
      onRetry: () => metrics.countStoreRetry(),
    }),
    clock,
    logger,
    stored: (batch) => metrics.countBatch(batch.output, batch.tally, clock.monotonic()),
    storedOutsideBatch: (output) => metrics.countOutsideBatch(output),
    fail: (error) => {
      throw error;
    },
  };
  const policy = new OtlpJoinPolicy(context, join);
  /** A batch through handler and policy, as the runner does. */
  const consume = async (partition: number, messages: readonly RawMessage[]) => {
    const batch = port.batch(TOPIC, partition, messages);
    const output = await handler.handle(batch, clock.now());
    await policy.settle(batch, output, clock.monotonic());
    return { batch, output };
  };
  /** Lets the grace window pass and runs the policy's timed pass. */
  const passGrace = async () => {
    await clock.advance(GRACE_MS);
    await policy.tick();
  };
  return { clock, port, writer, metrics, join, policy, consume, passGrace };
}

const base1 = testTrace("req-1", "rel-base", "Refund issued.", 1);
const cand1 = testTrace("req-1", "rel-cand", "Refund issued!", 2);
const base2 = testTrace("req-2", "rel-base", "On its way.", 3);
const cand2 = testTrace("req-2", "rel-cand", "On its way.", 4);
const lastCommit = (port: InMemoryPort, batches: { batch: { commits: unknown[][] } }[]) =>
  [...batches.flatMap(({ batch }) => batch.commits), ...port.committed].at(-1);

describe("consume --format otlp: handler and offset policy", () => {
  it("assembles traces across batches and partitions, pairs them by key, and commits below incomplete traces", async () => {
    const run = harness();
    // Each trace's chat span on partition 1, its root on partition 0, interleaved.
    const first = await run.consume(1, otlpMessages([base1.chat, cand1.chat, base2.chat], 0));
    expect(first.output.pairs.rows).toBe(0);
    // Every message of partition 1 holds a trace still assembling: nothing may be committed past 0.
    expect(first.batch.commits).toEqual([[{ topic: TOPIC, partition: 1, offset: "0" }]]);
    const second = await run.consume(0, otlpMessages([base1.root, cand1.root], 0));
    expect(second.output.pairs.rows).toBe(0);
    expect(second.batch.commits).toEqual([
      [
        { topic: TOPIC, partition: 0, offset: "0" },
        { topic: TOPIC, partition: 1, offset: "0" },
      ],
    ]);
    await run.passGrace();
    expect(run.writer.pairs).toBe(1);
    // req-1 is stored; base2 (partition 1, offset 2) is still without its root.
    expect(run.port.committed.at(-1)).toEqual([
      { topic: TOPIC, partition: 0, offset: "2" },
      { topic: TOPIC, partition: 1, offset: "2" },
    ]);
    await run.consume(1, otlpMessages([cand2.chat, cand2.root, base2.root], 3));
    await run.passGrace();
    expect(run.writer.pairs).toBe(2);
    expect(run.metrics.pairs).toBe(2);
    expect(run.port.committed.at(-1)).toEqual([
      { topic: TOPIC, partition: 0, offset: "2" },
      { topic: TOPIC, partition: 1, offset: "6" },
    ]);
    expect(run.join.held).toEqual({ records: 0, traces: 0 });
  });

  it("never commits through a stored trace that a restart would re-read only in part", async () => {
    const run = harness();
    // req-1's pair is complete; base2's chat span sits between cand1's chat and root on partition 1.
    await run.consume(0, otlpMessages([base1.chat, base1.root], 0));
    await run.consume(1, otlpMessages([cand1.chat, base2.chat, cand1.root], 0));
    await run.passGrace();
    expect(run.writer.pairs).toBe(1);
    // Partition 1 stops at base2 (offset 1), so cand1's root (offset 2) is re-read after a crash;
    // then its chat span (offset 0) must be too, and so must its partner's messages on partition 0.
    expect(run.port.committed.at(-1)).toEqual([
      { topic: TOPIC, partition: 0, offset: "0" },
      { topic: TOPIC, partition: 1, offset: "0" },
    ]);
    await run.consume(0, otlpMessages([base2.root, cand2.chat, cand2.root], 2));
    await run.passGrace();
    expect(run.writer.pairs).toBe(2);
    expect(run.port.committed.at(-1)).toEqual([
      { topic: TOPIC, partition: 0, offset: "5" },
      { topic: TOPIC, partition: 1, offset: "3" },
    ]);
  });

  it("rebuilds after a crash from the committed offsets: the same pairs, none lost", async () => {
    const partition0 = otlpMessages([base1.root, cand1.chat, base2.chat]);
    const partition1 = otlpMessages([base1.chat, cand1.root, cand2.chat, cand2.root]);
    const crashed = harness();
    const batches = [await crashed.consume(0, partition0), await crashed.consume(1, partition1)];
    // Crash before the grace window passed: nothing stored, nothing committed past any trace.
    expect(crashed.writer.pairs).toBe(0);
    const committed = lastCommit(crashed.port, batches) as { partition: number; offset: string }[];
    expect(committed).toEqual([
      { topic: TOPIC, partition: 0, offset: "0" },
      { topic: TOPIC, partition: 1, offset: "0" },
    ]);
    const restarted = harness();
    const from = (partition: number) => Number(committed.find((c) => c.partition === partition)?.offset);
    await restarted.consume(0, partition0.slice(from(0)));
    await restarted.consume(1, partition1.slice(from(1)));
    await restarted.consume(0, otlpMessages([base2.root], 3));
    await restarted.passGrace();
    expect(restarted.writer.pairs).toBe(2);
  });

  it("sends a full buffer's oldest trace to the dead letters with its trace id, and commits past it", async () => {
    const run = harness({ maxTraces: 2 });
    const { output, batch } = await run.consume(0, otlpMessages([base1.chat, cand1.chat, base2.chat], 0));
    expect(output.deadLetters).toHaveLength(1);
    const letter = output.deadLetters[0];
    expect(letter?.headers[TRACE_ID_HEADER]).toBe("1".padStart(32, "0"));
    expect(letter?.headers["shadowdiff-error-reason"]).toMatch(/evicted unfinished \(1 spans held\)/);
    expect(letter?.headers["shadowdiff-source-offset"]).toBe("0");
    expect(run.port.deadLetters).toHaveLength(1);
    // Offset 0 held only the evicted trace: the commit moves to the oldest trace still held.
    expect(batch.commits).toEqual([[{ topic: TOPIC, partition: 0, offset: "1" }]]);
  });

  it("dead-letters malformed OTLP with a located reason and keeps consuming", async () => {
    const run = harness();
    const truncated = base2.chat.slice(0, base2.chat.length - 7);
    const { output } = await run.consume(
      0,
      otlpMessages([
        base1.chat,
        truncated,
        Buffer.from('{"resourceSpans": ['),
        base1.root,
        cand1.root,
        cand1.chat,
      ]),
    );
    expect(output.deadLetters.map((letter) => letter.headers["shadowdiff-error-code"])).toEqual([
      "INVALID_OTLP",
      "INVALID_OTLP",
    ]);
    expect(output.deadLetters[0]?.headers["shadowdiff-error-reason"]).toMatch(/^kafka:spans\/0:1: /);
    expect(output.deadLetters[1]?.headers["shadowdiff-error-reason"]).toMatch(/^kafka:spans\/0:2: /);
    await run.passGrace();
    expect(run.writer.pairs).toBe(1);
    expect(run.port.committed.at(-1)).toEqual([{ topic: TOPIC, partition: 0, offset: "6" }]);
  });

  it("dead-letters a trace with no model call, naming the trace", async () => {
    const run = harness();
    await run.consume(0, otlpMessages([base1.root], 0));
    await run.passGrace();
    const letter = run.port.deadLetters[0];
    expect(letter?.headers[TRACE_ID_HEADER]).toBe("1".padStart(32, "0"));
    expect(letter?.headers["shadowdiff-error-code"]).toBe("UNUSABLE_TRACE");
    expect(run.port.committed.at(-1)).toEqual([{ topic: TOPIC, partition: 0, offset: "1" }]);
  });

  it("counts a record whose partner never came as unpaired once the join window passed", async () => {
    const run = harness({ windowMs: 5_000 });
    const { batch } = await run.consume(0, otlpMessages([base1.chat, base1.root], 0));
    await run.passGrace();
    expect(run.writer.unpaired).toHaveLength(0);
    // Assembled and waiting for its partner: still uncommitted.
    expect(batch.commits).toEqual([[{ topic: TOPIC, partition: 0, offset: "0" }]]);
    expect(run.port.committed).toEqual([]);
    await run.clock.advance(5_000);
    await run.policy.tick();
    expect(run.writer.unpaired.map((row) => [row.side, row.request_id])).toEqual([["baseline", "req-1"]]);
    expect(run.port.committed.at(-1)).toEqual([{ topic: TOPIC, partition: 0, offset: "2" }]);
  });
});

describe("the release stamp tells the side", () => {
  const stamp = {
    id: "sha256:abc",
    name: "support-agent",
    version: "1.4.0",
    model: "m",
    prompt: "",
    tools: "",
  };
  it("matches an id, a name, or name@version, and nothing else", () => {
    expect(
      ["sha256:abc", "support-agent", "support-agent@1.4.0"].map((spec) => releaseMatches(stamp, spec)),
    ).toEqual([true, true, true]);
    expect(
      ["sha256:ab", "support", "support-agent@1.4", "1.4.0"].map((spec) => releaseMatches(stamp, spec)),
    ).toEqual([false, false, false, false]);
  });
});
