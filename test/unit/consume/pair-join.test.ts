import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ConsumeMetrics } from "../../../src/consume/consume-metrics.js";
import { JoinState } from "../../../src/consume/join-state.js";
import type { PolicyContext } from "../../../src/consume/offset-policy.js";
import { OutputStore } from "../../../src/consume/output-store.js";
import { PairJoinHandler } from "../../../src/consume/pair-join-handler.js";
import { PairJoinPolicy } from "../../../src/consume/pair-join-policy.js";
import { readPricing } from "../../../src/contracts/read-pricing.js";
import { resolveRules } from "../../../src/normalize/resolve-rules.js";
import { PairBuilder } from "../../../src/pairing/pair-builder.js";
import { PairDiffer } from "../../../src/pairing/pair-differ.js";
import type { RawMessage } from "../../../src/pairing/recorded-batch.js";
import { InMemoryPort } from "./in-memory-port.js";
import { InMemoryWriter } from "./in-memory-writer.js";
import { ManualClock } from "./manual-clock.js";
import { RecordingLogger } from "./recording-logger.js";

const lines = (path: string) =>
  readFile(path, "utf8").then((text) => text.split("\n").filter(Boolean).slice(0, 4));
const baselines = await lines("fixtures/captures/baseline.jsonl");
const candidates = await lines("fixtures/captures/candidate-model-upgrade.jsonl");
const pricing = await readPricing();

/** Messages at offsets `first`… holding the given lines. */
function messages(texts: readonly string[], first = 0): RawMessage[] {
  return texts.map((text, index) => ({ key: null, value: Buffer.from(text), offset: String(first + index) }));
}

function harness(windowMs = 60_000) {
  const clock = new ManualClock();
  const port = new InMemoryPort();
  const writer = new InMemoryWriter();
  const logger = new RecordingLogger();
  const metrics = new ConsumeMetrics();
  const join = new JoinState("base", "cand", windowMs);
  const builder = new PairBuilder(new PairDiffer(resolveRules(undefined), []), [], pricing);
  const handler = new PairJoinHandler(join, builder, clock);
  const context: PolicyContext = {
    port,
    store: new OutputStore({
      writer,
      sendDeadLetters: (letters) => port.sendDeadLetters("base.dead-letter", letters),
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
  const policy = new PairJoinPolicy(context, join);
  /** A batch through handler and policy, as the runner does. */
  const consume = async (topic: string, partition: number, batchMessages: readonly RawMessage[]) => {
    const batch = port.batch(topic, partition, batchMessages);
    const output = await handler.handle(batch, clock.now());
    await policy.settle(batch, output, clock.monotonic());
    return { batch, output };
  };
  return { clock, port, writer, logger, metrics, policy, handler, consume };
}

describe("pair-join: handler and offset policy", () => {
  it("pairs records of the two topics by key and commits each topic only below its oldest waiting record", async () => {
    const run = harness();
    // Baseline requests 1-4 at offsets 10-13; candidates for 1 and 3 only.
    const base = await run.consume("base", 0, messages(baselines, 10));
    expect(base.output.pairs.rows).toBe(0);
    expect(base.batch.commits).toEqual([[{ topic: "base", partition: 0, offset: "10" }]]);
    const cand = await run.consume("cand", 0, messages([candidates[0], candidates[2]] as string[], 50));
    expect(cand.output.pairs.rows).toBe(2);
    // Request 2 (offset 11) still waits on the baseline topic; the candidate topic is done.
    expect(cand.batch.commits).toEqual([
      [
        { topic: "base", partition: 0, offset: "11" },
        { topic: "cand", partition: 0, offset: "52" },
      ],
    ]);
    expect(cand.batch.resolved).toBe("51");
    expect(run.writer.pairs).toBe(2);
    expect(run.metrics.pairs).toBe(2);
    expect(run.metrics.records).toBe(6);
  });

  it("sends unparseable records to the dead-letter topic and commits past them", async () => {
    const run = harness();
    const { batch, output } = await run.consume("base", 0, messages(["{not json", baselines[0] as string]));
    expect(output.deadLetters).toHaveLength(1);
    expect(output.deadLetters[0]?.headers["shadowdiff-source-offset"]).toBe("0");
    expect(run.port.deadLetters).toHaveLength(1);
    expect(batch.commits).toEqual([[{ topic: "base", partition: 0, offset: "1" }]]);
    expect(run.metrics.invalid).toBe(1);
  });

  it("expires a record whose partner did not come within the window, in the next batch of its partition", async () => {
    const run = harness(2_000);
    await run.consume("base", 0, messages([baselines[0] as string], 0));
    await run.clock.advance(1_999);
    const early = await run.consume("cand", 0, messages([candidates[3] as string], 0));
    expect(early.output.unpaired).toEqual([]);
    await run.clock.advance(1);
    const late = await run.consume("cand", 0, messages([candidates[2] as string], 1));
    expect(late.output.unpaired.map((row) => [row.side, row.request_id])).toEqual([
      ["baseline", "req-000001"],
    ]);
    // Named after the candidate release seen on the candidate topic.
    expect(late.output.unpaired[0]?.candidate_release).toMatch(/^sha256:/);
  });

  it("stores expired records on a tick when no batch comes, then commits past them", async () => {
    const run = harness(2_000);
    await run.consume("base", 0, messages([baselines[0] as string], 7));
    expect(run.port.committed).toEqual([]);
    await run.clock.advance(2_000);
    await run.policy.tick();
    expect(run.writer.unpaired.map((row) => [row.side, row.candidate_release])).toEqual([
      ["baseline", "unknown:cand"],
    ]);
    expect(run.metrics.unpaired).toBe(1);
    expect(run.port.committed).toEqual([[{ topic: "base", partition: 0, offset: "8" }]]);
  });

  it("keeps expired records it could not store for the next pass, and logs why", async () => {
    const run = harness(2_000);
    await run.consume("base", 0, messages([baselines[0] as string], 7));
    await run.clock.advance(2_000);
    run.writer.failures.push(new Error("store away"));
    await run.policy.tick();
    expect(run.writer.unpaired).toEqual([]);
    expect(run.port.committed).toEqual([]);
    expect(run.logger.at("warn")).toEqual([
      "warn pair-join: 1 unpaired record(s) not stored; kept for the next pass: store away",
    ]);
    await run.policy.tick();
    expect(run.writer.unpaired).toHaveLength(1);
    expect(run.port.committed).toEqual([[{ topic: "base", partition: 0, offset: "8" }]]);
  });

  it("logs a commit that failed after storing expired records", async () => {
    const run = harness(2_000);
    await run.consume("base", 0, messages([baselines[0] as string], 7));
    await run.clock.advance(2_000);
    run.port.failCommits = true;
    await run.policy.tick();
    expect(run.writer.unpaired).toHaveLength(1);
    expect(run.logger.at("warn")).toEqual([
      "warn pair-join: offsets past expired records not committed; the next batch or pass commits them: the group coordinator is not available",
    ]);
  });

  it("forgets the waiting records of a revoked partition: their new owner reads them again", async () => {
    const run = harness(2_000);
    await run.consume("base", 3, messages([baselines[0] as string], 0));
    run.policy.assigned([0, 1]);
    await run.clock.advance(5_000);
    await run.policy.tick();
    expect(run.writer.unpaired).toEqual([]);
  });

  it("does not resolve or commit a stale batch (its output is still stored: rows replace by key)", async () => {
    const run = harness();
    await run.consume("cand", 0, messages([candidates[0] as string], 0));
    const batch = run.port.batch("base", 0, messages([baselines[0] as string], 0));
    batch.stale = true;
    const output = await run.handler.handle(batch, run.clock.now());
    await run.policy.settle(batch, output, 0);
    expect(run.writer.pairs).toBe(1);
    expect(batch.resolved).toBeUndefined();
    expect(batch.commits).toEqual([]);
    expect(run.metrics.batches).toBe(1);
  });
});
