import { setTimeout as delay } from "node:timers/promises";
import type { Consumer, EachBatchPayload, Kafka } from "kafkajs";
import type { ExchangeRecord } from "../contracts/exchange.js";
import type { PairRow, ReleaseRow } from "../contracts/pair-row.js";
import type { PricingTable } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import { PairBuilder } from "../pairing/pair-builder.js";
import { PairDiffer } from "../pairing/pair-differ.js";

import { diffRecordedBatch, type RecordedBatchOutput } from "../pairing/recorded-batch.js";
import { coPartitionedAssigner } from "../sources/kafka/co-partitioned-assigner.js";
import type { RecordedCapture } from "../sources/recorded-capture.js";
import type { PairWriter } from "../store/store.js";
import { concatEncoded, encodeRows } from "../store/tab-separated.js";
import type { DiffThreads } from "../threads/diff-threads.js";
import { JoinState } from "./consume-join.js";
import { type ConsumeMetrics, countBatch, type StoredBatch } from "./consume-metrics.js";
import { untilDone, writeOutput } from "./consume-output.js";
import type { ExecutionStage } from "./run-executed.js";
import { type BatchResult, WriteBehind } from "./write-behind.js";

export { type ConsumeMetrics, emptyMetrics, prometheusText } from "./consume-metrics.js";

export interface ConsumeOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly deadLetterTopic: string;
  readonly fromBeginning: boolean;
  /** Recorded candidates, looked up by pair key for every baseline record consumed. */
  readonly candidates: readonly RecordedCapture[];
  /**
   * Pair-join mode: candidate results arrive on this topic (same keys, same partition count) and
   * are joined with baseline records by pair key within `joinWindowMs`.
   */
  readonly candidateTopic?: string;
  /** Candidate releases executed for each selected record (`--candidate release:M`). */
  readonly execution?: { readonly stage: ExecutionStage; readonly concurrency: number };
  readonly joinWindowMs?: number;
  readonly rules: DiffRules;
  readonly releases: readonly ResolvedRelease[];
  readonly pricing: PricingTable;
  readonly writer: PairWriter;
  /** Aborted on SIGTERM/SIGINT: stop fetching, abandon uncommitted work, disconnect. */
  readonly signal: AbortSignal;
  /** Stop by itself after this long without a message (tests, one-off backfills). */
  readonly idleExitMs?: number;
  readonly metrics: ConsumeMetrics;
  readonly onProgress?: (metrics: ConsumeMetrics) => void;
  /** Called after each (re)join of the group with this member's partitions of the topic. */
  readonly onAssignment?: (partitions: readonly number[]) => void;
  /**
   * Threads that parse and diff recorded candidates, with the captures' indexes attached; without
   * them batches are diffed in this thread. Executed candidates (shared rate limits and budgets)
   * and pair-join mode always diff here.
   */
  readonly diffThreads?: DiffThreads;
  /** When the write-behind stores what it collected (see WriteBehind); defaults below. */
  readonly flush?: Partial<FlushPolicy>;
}

export interface FlushPolicy {
  /** Store once this many pairs are waiting… */
  readonly maxPairs: number;
  /** …or their rows hold about this many bytes… */
  readonly maxBytes: number;
  /** …or the oldest has waited this long. */
  readonly maxDelayMs: number;
}

export const DEFAULT_FLUSH: FlushPolicy = { maxPairs: 50_000, maxBytes: 160 << 20, maxDelayMs: 1_000 };

/** How long a stopping consumer gives the store to take what it collected before leaving. */
const DRAIN_ON_STOP_MS = 5_000;

/**
 * `shadowdiff consume`: a consumer-group member that turns baseline records from a topic into
 * stored pairs. At least once: offsets are committed only after the store (and the dead-letter
 * topic) acknowledged the whole batch; the store replaces by key, so a redelivered batch changes
 * no number. While the store is unreachable the partition is paused and the write retried with
 * backoff, heartbeats keep the membership, and nothing is committed. On abort the current batch
 * is abandoned uncommitted and the consumer leaves the group cleanly.
 */
export async function consume(options: ConsumeOptions): Promise<void> {
  const builder = new PairBuilder(
    new PairDiffer(options.rules, options.releases),
    options.releases,
    options.pricing,
  );
  const join = options.candidateTopic === undefined ? undefined : new JoinState(options);
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    ...(join === undefined ? {} : { partitionAssigners: [coPartitionedAssigner] }),
    // Bounded in-flight work: at most this much is fetched per partition before it is stored.
    maxBytesPerPartition: 4 << 20,
    // A consumer that died (SIGKILL, lost host) gives up its partitions after this long.
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    // An idle fetch returns after this long: a stopping consumer waits for the one in flight.
    maxWaitTimeInMs: 1_000,
  });
  const producer = options.kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
  const assigned = new Set<number>();
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assignment = event.payload.memberAssignment as Record<string, number[] | undefined>;
    const partitions = [...(assignment[options.topic] ?? [])].sort((a, b) => a - b);
    assigned.clear();
    for (const partition of partitions) assigned.add(partition);
    join?.keepOnly(partitions);
    options.onAssignment?.(partitions);
  });
  const threads = join === undefined && options.execution === undefined ? options.diffThreads : undefined;
  // Releases seen by batches not yet handed to the store (a stale batch's are not lost).
  const pendingReleases: ReleaseRow[] = [];
  let heartbeat: () => Promise<void> = async () => {};
  // A permanent store failure ends the run (the wait below rejects with it); set once.
  let failure: { error: unknown } | undefined;
  let failWith: (error: unknown) => void = (error) => {
    failure ??= { error };
  };
  const sink =
    join === undefined
      ? new WriteBehind<ConsumedBatch>({
          ...DEFAULT_FLUSH,
          ...options.flush,
          store: (output) =>
            untilDone(
              options,
              () => pauseTopic(consumer, options.topic),
              heartbeat,
              () => writeOutput(options, producer, output),
            ),
          // Only partitions this member still owns: another one's are its new owner's to commit.
          commit: (offsets) =>
            consumer.commitOffsets(offsets.filter((entry) => assigned.has(entry.partition))),
          onStored: (batches) => {
            for (const batch of batches) countBatch(options.metrics, batch, options.onProgress);
          },
          onFailure: (error) => failWith(error),
        })
      : undefined;
  const ticker = sink === undefined ? undefined : setInterval(() => sink.tick(), 100);
  await Promise.all([consumer.connect(), producer.connect()]);
  let lastMessageAt = Date.now();
  // kafkajs emits FETCH only after a fetch the broker answered: while the broker is away (or
  // fetching is paused for a store outage) there are none, and that is not idleness.
  let lastFetchAt = 0;
  consumer.on(consumer.events.FETCH, () => {
    lastFetchAt = Date.now();
  });
  try {
    await consumer.subscribe({
      topics: join === undefined ? [options.topic] : [options.topic, options.candidateTopic as string],
      fromBeginning: options.fromBeginning,
    });
    await consumer.run({
      autoCommit: false,
      // One batch per diff thread at a time (kafkajs still hands out one per partition).
      partitionsConsumedConcurrently: threads?.size ?? 1,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        lastMessageAt = Date.now();
        heartbeat = payload.heartbeat;
        if (sink !== undefined)
          await handleBatch(payload, options, { builder, sink, threads, pendingReleases });
        else await join?.handleBatch(payload, builder, producer);
        lastMessageAt = Date.now();
      },
    });
    // Records whose partner never came are counted unpaired once their window has passed, even
    // when no further batch arrives to notice it.
    const expiry = join === undefined ? undefined : setInterval(() => void join.expireIdle(consumer), 500);
    options.signal.addEventListener("abort", () => clearInterval(expiry), { once: true });
    await new Promise<void>((resolve, reject) => {
      if (failure !== undefined) return reject(failure.error);
      failWith = (error) => {
        failure ??= { error };
        reject(error);
      };
      const stop = () => {
        clearInterval(expiry);
        resolve();
      };
      if (options.signal.aborted) return resolve();
      options.signal.addEventListener("abort", stop, { once: true });
      if (options.idleExitMs !== undefined) {
        const idle = options.idleExitMs;
        const timer = setInterval(() => {
          const now = Date.now();
          const quiet = now - lastMessageAt >= idle + (options.joinWindowMs ?? 0);
          const fetching = now - lastFetchAt <= IDLE_FETCH_RECENCY_MS;
          if (quiet && fetching) {
            clearInterval(timer);
            clearInterval(expiry);
            void (join?.expireIdle(consumer) ?? Promise.resolve()).then(() => resolve());
          }
        }, 250);
        options.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
      }
    });
  } finally {
    clearInterval(ticker);
    if (sink !== undefined && failure === undefined) {
      // Stop fetching, then give the store what was collected (and commit it) while this member
      // still owns its partitions; whatever is not stored in time is read again after a restart.
      pauseTopic(consumer, options.topic);
      // Unreferenced: the time limit must not itself keep the process alive once drained.
      await Promise.race([sink.drain(), delay(DRAIN_ON_STOP_MS, undefined, { ref: false })]);
    }
    // stop() waits for the running batch to finish or notice the abort; disconnect leaves the group.
    await stopQuietly(consumer);
    await producer.disconnect().catch(() => {});
  }
}

/**
 * Idle means connected and answered, with nothing to read: a fetch the broker answered within
 * this long (three of the 1 s long-polls) must back the quiet period, or a broker restart longer
 * than --idle-exit ends the run with records still unread (seen: 225 of 600 stored, exit 0).
 */
const IDLE_FETCH_RECENCY_MS = 3_000;

/** Pauses fetching from a topic; the returned function resumes it. */
function pauseTopic(consumer: Consumer, topic: string): () => void {
  try {
    consumer.pause([{ topic }]);
  } catch {
    // Not running (yet, or any more): there is nothing to pause.
  }
  return () => {
    try {
      consumer.resume([{ topic }]);
    } catch {
      // Not running any more.
    }
  };
}

async function stopQuietly(consumer: Consumer): Promise<void> {
  await consumer.stop().catch(() => {});
  await consumer.disconnect().catch(() => {});
}

/** What the recorded-candidates path keeps across batches. */
interface RecordedPath {
  readonly builder: PairBuilder;
  readonly sink: WriteBehind<ConsumedBatch>;
  readonly threads: DiffThreads | undefined;
  readonly pendingReleases: ReleaseRow[];
}

async function handleBatch(
  { batch, resolveOffset, heartbeat, isStale }: EachBatchPayload,
  options: ConsumeOptions,
  { builder, sink, threads, pendingReleases }: RecordedPath,
): Promise<void> {
  const started = performance.now();
  const version = Date.now();
  const { topic, partition, messages } = batch;
  let output: RecordedBatchOutput;
  if (threads !== undefined) output = await threads.diff(topic, partition, version, messages);
  else {
    const toExecute: { record: ExchangeRecord; text: string }[] = [];
    const stage = options.execution?.stage;
    output = diffRecordedBatch(
      topic,
      partition,
      messages,
      options.candidates,
      builder,
      version,
      (record, text) => {
        if (stage?.selects(record) === "yes") toExecute.push({ record, text });
      },
    );
    if (options.execution !== undefined)
      output = await execute(options.execution, toExecute, version, output, heartbeat);
  }
  // A batch whose partition was reassigned meanwhile is left to its new owner, uncommitted; the
  // releases it saw first go with the next batch.
  pendingReleases.push(...output.releases);
  const last = messages.at(-1);
  if (last === undefined || isStale()) return;
  // Resolving moves this member's fetch position on; the commit waits for the store (WriteBehind).
  resolveOffset(last.offset);
  await sink.add(
    {
      ...output,
      releases: pendingReleases.splice(0),
      offsets: [{ topic, partition, offset: String(BigInt(last.offset) + 1n) }],
      records: messages.length,
      partition,
      lag: Number(batch.offsetLag()),
      started,
    },
    heartbeat,
  );
  await heartbeat();
}

/** Runs the executed candidates of a batch, side by side up to `concurrency`, and adds their pairs. */
async function execute(
  { stage, concurrency }: NonNullable<ConsumeOptions["execution"]>,
  toExecute: readonly { record: ExchangeRecord; text: string }[],
  version: number,
  output: RecordedBatchOutput,
  heartbeat: () => Promise<void>,
): Promise<RecordedBatchOutput> {
  const rows: PairRow[] = [];
  for (let start = 0; start < toExecute.length; start += concurrency) {
    const chunk = toExecute.slice(start, start + concurrency);
    const shadowed = await Promise.all(chunk.map(({ record, text }) => stage.shadow(record, text, version)));
    rows.push(...shadowed.flat());
    await heartbeat();
  }
  return {
    ...output,
    pairs: concatEncoded([output.pairs, encodeRows(rows)]),
    releases: [...output.releases, ...stage.newReleases(version)],
  };
}

type ConsumedBatch = StoredBatch & BatchResult;
