import type { Consumer, EachBatchPayload, Kafka, Producer } from "kafkajs";
import { type ExchangeRecord, pairKey } from "../contracts/exchange.js";
import type { PairRow, ReleaseRow, UnpairedRow } from "../contracts/pair-row.js";
import type { PricingTable } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import { parseExchangeLine } from "../contracts/validate-record.js";
import { coPartitionedAssigner } from "../sources/kafka/co-partitioned-assigner.js";
import type { RecordedCapture } from "../sources/recorded-capture.js";
import type { PairWriter } from "../store/store.js";
import { concatEncoded, encodeRows } from "../store/tab-separated.js";
import type { DiffWorkers } from "./diff-workers.js";
import { JoinBuffer, type Waiting } from "./join-buffer.js";
import { PairBuilder, unpairedRow } from "./pair-builder.js";
import { deadLetter, diffRecordedBatch, type RecordedBatchOutput } from "./recorded-batch.js";
import type { ExecutionStage } from "./run-executed.js";
import { type BatchResult, type DeadLetterMessage, WriteBehind } from "./write-behind.js";

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
  readonly diffThreads?: DiffWorkers;
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

/** Counters of a consumer's life, also served as Prometheus text. */
export interface ConsumeMetrics {
  records: number;
  pairs: number;
  unpaired: number;
  invalid: number;
  batches: number;
  batchSeconds: number;
  storeRetries: number;
  /** Messages behind the high watermark, per partition, after the last batch. */
  readonly lag: Map<number, number>;
}

export function emptyMetrics(): ConsumeMetrics {
  return {
    records: 0,
    pairs: 0,
    unpaired: 0,
    invalid: 0,
    batches: 0,
    batchSeconds: 0,
    storeRetries: 0,
    lag: new Map(),
  };
}

/**
 * `shadowdiff consume`: a consumer-group member that turns baseline records from a topic into
 * stored pairs. At least once: offsets are committed only after the store (and the dead-letter
 * topic) acknowledged the whole batch; the store replaces by key, so a redelivered batch changes
 * no number. While the store is unreachable the partition is paused and the write retried with
 * backoff, heartbeats keep the membership, and nothing is committed. On abort the current batch
 * is abandoned uncommitted and the consumer leaves the group cleanly.
 */
export async function consume(options: ConsumeOptions): Promise<void> {
  const builder = new PairBuilder(options.rules, options.releases, options.pricing);
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
            for (const batch of batches) countBatch(options, batch);
          },
        })
      : undefined;
  const ticker = sink === undefined ? undefined : setInterval(() => sink.tick(), 100);
  await Promise.all([consumer.connect(), producer.connect()]);
  let lastMessageAt = Date.now();
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
    await new Promise<void>((resolve) => {
      const stop = () => {
        clearInterval(expiry);
        resolve();
      };
      if (options.signal.aborted) return resolve();
      options.signal.addEventListener("abort", stop, { once: true });
      if (options.idleExitMs !== undefined) {
        const idle = options.idleExitMs;
        const timer = setInterval(() => {
          if (Date.now() - lastMessageAt >= idle + (options.joinWindowMs ?? 0)) {
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
    if (sink !== undefined) {
      // Stop fetching, then give the store what was collected (and commit it) while this member
      // still owns its partitions; whatever is not stored in time is read again after a restart.
      pauseTopic(consumer, options.topic);
      await Promise.race([sink.drain(), delay(DRAIN_ON_STOP_MS)]);
    }
    // stop() waits for the running batch to finish or notice the abort; disconnect leaves the group.
    await stopQuietly(consumer);
    await producer.disconnect().catch(() => {});
  }
}

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
  readonly threads: DiffWorkers | undefined;
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

/** What one batch (or several, merged) produced; all of it is acknowledged before the commit. */
type BatchOutput = Omit<BatchResult, "offsets">;

async function writeOutput(options: ConsumeOptions, producer: Producer, output: BatchOutput): Promise<void> {
  if (output.deadLetters.length > 0) {
    await producer.send({ topic: options.deadLetterTopic, acks: -1, messages: [...output.deadLetters] });
  }
  if (output.releases.length > 0) await options.writer.writeReleases(output.releases);
  if (output.pairs.rows > 0) await options.writer.writeEncodedPairs(output.pairs);
  if (output.unpaired.length > 0) await options.writer.writeUnpaired(output.unpaired);
}

/** Counts a batch once stored; its latency runs from arrival to the store's acknowledgement. */
function countBatch(options: ConsumeOptions, batch: StoredBatch): void {
  const metrics = options.metrics;
  metrics.records += batch.records;
  metrics.pairs += batch.pairs.rows;
  metrics.unpaired += batch.unpaired.length;
  metrics.invalid += batch.deadLetters.length;
  metrics.batches++;
  metrics.batchSeconds += (performance.now() - batch.started) / 1000;
  metrics.lag.set(batch.partition, batch.lag);
  options.onProgress?.(metrics);
}

/** A batch's output with what its metrics need. */
interface StoredBatch extends BatchOutput {
  readonly records: number;
  readonly partition: number;
  readonly lag: number;
  readonly started: number;
}

type ConsumedBatch = StoredBatch & BatchResult;

/**
 * Runs `write` until it succeeds. On failure the partition is paused (no more fetching), the
 * consumer keeps heart-beating, and the write is retried with capped exponential backoff and
 * jitter. Returns false if the consumer was asked to stop first: the batch is then abandoned
 * uncommitted and will be redelivered.
 */
async function untilDone(
  options: ConsumeOptions,
  pause: () => () => void,
  heartbeat: () => Promise<void>,
  write: () => Promise<void>,
): Promise<boolean> {
  let resume: (() => void) | undefined;
  for (let attempt = 0; ; attempt++) {
    // A stopping consumer still tries once: what it collected is worth storing if it can be.
    if (attempt > 0 && options.signal.aborted) {
      resume?.();
      return false;
    }
    try {
      await write();
      resume?.();
      return true;
    } catch {
      options.metrics.storeRetries++;
      resume ??= pause();
      const delay = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
      await sleep(delay, options.signal);
      await heartbeat().catch(() => {});
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** The counters as Prometheus text exposition. */
export function prometheusText(metrics: ConsumeMetrics): string {
  const lines = [
    "# TYPE shadowdiff_records_total counter",
    `shadowdiff_records_total ${metrics.records}`,
    "# TYPE shadowdiff_pairs_total counter",
    `shadowdiff_pairs_total ${metrics.pairs}`,
    "# TYPE shadowdiff_unpaired_total counter",
    `shadowdiff_unpaired_total ${metrics.unpaired}`,
    "# TYPE shadowdiff_invalid_total counter",
    `shadowdiff_invalid_total ${metrics.invalid}`,
    "# TYPE shadowdiff_store_retries_total counter",
    `shadowdiff_store_retries_total ${metrics.storeRetries}`,
    "# TYPE shadowdiff_batch_seconds summary",
    `shadowdiff_batch_seconds_sum ${metrics.batchSeconds}`,
    `shadowdiff_batch_seconds_count ${metrics.batches}`,
    "# TYPE shadowdiff_lag gauge",
    ...[...metrics.lag].map(([partition, lag]) => `shadowdiff_lag{partition="${partition}"} ${lag}`),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * Pair-join mode: baseline and candidate records arrive on two co-partitioned topics and meet in
 * a per-partition buffer. Offsets are committed only up to the oldest record still waiting on
 * each topic-partition, so after a crash every unjoined record is read again and joins then.
 */
class JoinState {
  private readonly buffers = new Map<number, JoinBuffer>();
  /** Next offset past what the store has acknowledged, per topic and partition. */
  private readonly acknowledged = new Map<string, bigint>();
  private lastCandidateRelease: string | undefined;
  private expiring = false;

  constructor(private readonly options: ConsumeOptions) {}

  private get window(): number {
    return this.options.joinWindowMs ?? 60_000;
  }

  keepOnly(partitions: readonly number[]): void {
    // Revoked partitions go to their new owner, which re-reads the uncommitted records.
    for (const partition of [...this.buffers.keys()])
      if (!partitions.includes(partition)) this.buffers.delete(partition);
  }

  private buffer(partition: number): JoinBuffer {
    let buffer = this.buffers.get(partition);
    if (buffer === undefined) {
      buffer = new JoinBuffer();
      this.buffers.set(partition, buffer);
    }
    return buffer;
  }

  async handleBatch(payload: EachBatchPayload, builder: PairBuilder, producer: Producer): Promise<void> {
    const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, pause, isStale } = payload;
    const options = this.options;
    const started = performance.now();
    const version = Date.now();
    const side = batch.topic === options.topic ? "baseline" : "candidate";
    const buffer = this.buffer(batch.partition);
    const pairs: PairRow[] = [];
    const deadLetters: DeadLetterMessage[] = [];
    for (const message of batch.messages) {
      const text = message.value?.toString("utf8") ?? "";
      const parsed = parseExchangeLine(text, {
        source: `kafka:${batch.topic}/${batch.partition}`,
        line: Number(message.offset),
      });
      if (!parsed.ok) {
        deadLetters.push(
          deadLetter(message.key, message.value, parsed.error, batch.topic, batch.partition, message.offset),
        );
        continue;
      }
      if (side === "candidate") this.lastCandidateRelease = parsed.record.release.id;
      const entry: Waiting = {
        side,
        record: parsed.record,
        text,
        topic: batch.topic,
        partition: batch.partition,
        offset: BigInt(message.offset),
        arrivedAt: Date.now(),
      };
      const joined = buffer.offer(pairKey(parsed.record), entry);
      if (joined.kind === "pair") {
        pairs.push(
          builder.build(joined.baseline.record, joined.candidate.record, version, {
            baseline: joined.baseline.text,
            candidate: joined.candidate.text,
          }),
        );
      }
    }
    const unpaired = buffer.expire(Date.now(), this.window).map((entry) => this.unpairedRow(entry, version));
    const releases = builder.newReleases(version);
    const output: BatchOutput = { deadLetters, releases, pairs: encodeRows(pairs), unpaired };
    const acknowledged = await untilDone(options, pause, heartbeat, () =>
      writeOutput(options, producer, output),
    );
    if (!acknowledged || isStale()) return;
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    resolveOffset(last.offset);
    this.acknowledged.set(`${batch.topic}/${batch.partition}`, BigInt(last.offset) + 1n);
    await commitOffsetsIfNecessary({ topics: this.safeOffsets([batch.partition]) });
    await heartbeat();

    countBatch(options, {
      ...output,
      records: batch.messages.length,
      partition: batch.partition,
      lag: Number(batch.offsetLag()),
      started,
    });
  }

  /** Counts expired records as unpaired when no batch comes to do it, and commits past them. */
  async expireIdle(consumer: Consumer): Promise<void> {
    if (this.expiring) return;
    this.expiring = true;
    try {
      const version = Date.now();
      const expiredBy = [...this.buffers].map(([partition, buffer]) => ({
        partition,
        entries: buffer.expire(Date.now(), this.window),
      }));
      const entries = expiredBy.flatMap((entry) => entry.entries);
      if (entries.length === 0) return;
      const rows = entries.map((entry) => this.unpairedRow(entry, version));
      try {
        await this.options.writer.writeUnpaired(rows);
      } catch {
        // Not stored: put them back, so the next pass (or a batch) counts them.
        for (const entry of entries) this.buffer(entry.partition).offer(pairKey(entry.record), entry);
        return;
      }
      this.options.metrics.unpaired += rows.length;
      const partitions = expiredBy
        .filter((entry) => entry.entries.length > 0)
        .map((entry) => entry.partition);
      const offsets = this.safeOffsets(partitions).flatMap(({ topic, partitions: list }) =>
        list.map(({ partition, offset }) => ({ topic, partition, offset })),
      );
      await consumer.commitOffsets(offsets);
    } catch {
      // The commit failed (broker away): the next batch or pass commits the same offsets.
    } finally {
      this.expiring = false;
    }
  }

  private unpairedRow(entry: Waiting, version: number): UnpairedRow {
    const candidateRelease =
      entry.side === "candidate"
        ? entry.record.release.id
        : (this.lastCandidateRelease ?? `unknown:${this.options.candidateTopic}`);
    return unpairedRow(entry.record, entry.side, candidateRelease, version);
  }

  /** Per partition and topic: up to the oldest waiting record, else past everything acknowledged. */
  private safeOffsets(
    partitions: readonly number[],
  ): { topic: string; partitions: { partition: number; offset: string }[] }[] {
    const topics = [this.options.topic, this.options.candidateTopic as string];
    return topics
      .map((topic) => ({
        topic,
        partitions: partitions.flatMap((partition) => {
          const waiting = this.buffers.get(partition)?.lowestWaitingOffset(topic);
          const done = this.acknowledged.get(`${topic}/${partition}`);
          const offset = waiting ?? done;
          return offset === undefined ? [] : [{ partition, offset: offset.toString() }];
        }),
      }))
      .filter((entry) => entry.partitions.length > 0);
  }
}
