import type { ResolvedJudge } from "../contracts/judge.js";
import type { PricingTable } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import { PairBuilder } from "../pairing/pair-builder.js";
import { PairDiffer } from "../pairing/pair-differ.js";
import { type JudgeSettings, JudgeStage } from "../pipeline/judge-stage.js";
import { storeJudgements } from "../pipeline/judge-stored.js";
import type { JudgeSummary } from "../pipeline/judge-summary.js";
import { judgingWriter } from "../pipeline/judging-writer.js";
import { type ExecutionSettings, ExecutionStage } from "../pipeline/run-executed.js";
import { TraceIngest } from "../sources/otel/trace-ingest.js";
import { RecordedCapture } from "../sources/recorded-capture.js";
import { migrate } from "../store/migrate.js";
import { openStore, type StoreSettings } from "../store/open-store.js";
import { storePairWriter } from "../store/pair-writer.js";
import { DiffThreads } from "../threads/diff-threads.js";
import type { BatchHandler } from "./batch-handler.js";
import { type Clock, systemClock } from "./clock.js";
import { ConsumeMetrics } from "./consume-metrics.js";
import type { KafkaConnection } from "./consumer-port.js";
import { ExecutedHandler } from "./executed-handler.js";
import { JoinState } from "./join-state.js";
import type { Logger } from "./logger.js";
import { serveMetrics } from "./metrics-server.js";
import type { OffsetPolicyFactory } from "./offset-policy.js";
import { OtlpJoinHandler } from "./otlp-join-handler.js";
import { OtlpJoinPolicy } from "./otlp-join-policy.js";
import { PairJoinHandler } from "./pair-join-handler.js";
import { PairJoinPolicy } from "./pair-join-policy.js";
import { RecordedHandler } from "./recorded-handler.js";
import { runConsumer } from "./runner.js";
import { TraceJoin } from "./trace-join.js";
import { DEFAULT_FLUSH, type FlushPolicy, WriteBehindPolicy } from "./write-behind-policy.js";

export interface ConsumeSettings {
  readonly kafka: KafkaConnection;
  readonly topic: string;
  readonly groupId: string;
  readonly deadLetterTopic: string;
  readonly fromBeginning: boolean;
  /** Recorded candidate capture files, looked up by pair key for every baseline record. */
  readonly recordedFiles: readonly string[];
  /** Candidate releases executed for each selected record (`--candidate release:M`). */
  readonly executed?: {
    readonly releases: readonly ResolvedRelease[];
    readonly settings: ExecutionSettings;
  };
  /**
   * Pair-join mode: candidate results arrive on this topic (same keys, same partition count) and
   * are joined with baseline records by pair key within `joinWindowMs`.
   */
  readonly candidateTopic?: string;
  readonly joinWindowMs: number;
  /**
   * `--format otlp`: the topic carries OTLP trace export requests of both releases; traces are
   * assembled, mapped to records, and joined by pair key (baseline: this release).
   */
  readonly otlp?: OtlpSettings;
  /**
   * `--judge`: each write's pairs are judged once the store acknowledged them and before their
   * offsets are committed (a crash re-reads and re-judges, from the judge's cache).
   */
  readonly judge?: { readonly judge: ResolvedJudge; readonly settings: JudgeSettings };
  readonly rules: DiffRules;
  readonly releases: readonly ResolvedRelease[];
  readonly pricing: PricingTable;
  /** Threads that index and diff recorded candidates; 0 diffs in the consumer's own thread. */
  readonly diffThreads: number;
  readonly store: StoreSettings;
  /** Serve Prometheus metrics on this port (0: a free one). */
  readonly metricsPort?: number;
  readonly flush?: Partial<FlushPolicy>;
  /** Stop by itself after this long without a message (tests, one-off backfills). */
  readonly idleExitMs?: number;
  /** Called once consuming is about to start: from then on SIGTERM/SIGINT stop it cleanly. */
  readonly shutdown: () => { readonly signal: AbortSignal; dispose(): void };
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly on?: ConsumeEvents;
}

export interface OtlpSettings {
  /** The baseline release's id, name, or name@version; every other release is a candidate. */
  readonly baselineRelease: string;
  /** After a trace's root span arrived, how long its late spans still join (ms). */
  readonly graceMs: number;
  /** A trace whose root span never comes is handed over this long after its last span (ms). */
  readonly idleMs: number;
  readonly maxTraces: number;
  readonly maxSpans: number;
}

/** What a caller may want to print as it happens. */
export interface ConsumeEvents {
  readonly indexed?: (capture: RecordedCapture, threads: number | undefined) => void;
  readonly metricsServer?: (port: number) => void;
  readonly assignment?: (partitions: readonly number[]) => void;
  readonly progress?: (metrics: ConsumeMetrics) => void;
}

export interface ConsumeResult {
  readonly metrics: ConsumeMetrics;
  /** Stopped by the shutdown signal rather than by going idle. */
  readonly stopped: boolean;
  /** What the judge did, with `--judge`. */
  readonly judged?: JudgeSummary;
}

/**
 * `shadowdiff consume` without its CLI: opens (and, with diff threads, indexes) the recorded
 * captures, builds the one PairDiffer and PairBuilder every path of the process shares, opens and
 * migrates the store, checks the topics, serves metrics when asked, and runs the consumer with
 * the mode's handler and offset policy until it stops, idles or fails. Everything it opened is
 * closed on the way out.
 */
export async function startConsume(settings: ConsumeSettings): Promise<ConsumeResult> {
  const clock = settings.clock ?? systemClock;
  const executed = settings.executed?.releases ?? [];
  // Recorded candidates are diffed (and first indexed) by threads; executed candidates (shared
  // rate limits and budgets) and pair-join mode run in this thread.
  const threads =
    settings.diffThreads > 0 &&
    executed.length === 0 &&
    settings.candidateTopic === undefined &&
    settings.recordedFiles.length > 0
      ? new DiffThreads(settings.diffThreads, {
          rules: settings.rules,
          releases: settings.releases,
          pricing: settings.pricing,
        })
      : undefined;
  // Closed last to first on the way out.
  const opened: (() => unknown)[] = [() => threads?.close()];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close();
  };
  try {
    const candidates = await openCaptures(settings, threads);
    opened.push(() => {
      for (const capture of candidates) capture.close();
    });
    const manifests = [...settings.releases, ...executed];
    // One differ (rules compiled once, every release's tool schemas registered once) and one
    // builder for every path of this thread; each diff thread builds its own.
    const builder = new PairBuilder(new PairDiffer(settings.rules, manifests), manifests, settings.pricing);
    const mode = consumeMode(settings, { candidates, builder, threads, manifests, clock });
    const store = await openStore(settings.store);
    opened.push(() => store.close());
    // One judge per process: its rate limit, circuit breaker and budget hold across partitions.
    const judgeStage =
      settings.judge &&
      new JudgeStage(settings.judge.judge, settings.judge.settings, settings.pricing, storeJudgements(store));
    const metrics = new ConsumeMetrics();
    if (settings.metricsPort !== undefined) {
      const server = await serveMetrics(settings.metricsPort, metrics);
      opened.push(() => server.close());
      settings.on?.metricsServer?.(server.port);
    }
    const shutdown = settings.shutdown();
    opened.push(() => shutdown.dispose());
    await settings.kafka.requireTopics([
      { name: settings.topic, role: "--topic" },
      ...(settings.candidateTopic === undefined
        ? []
        : [{ name: settings.candidateTopic, role: "--candidate topic:" }]),
      { name: settings.deadLetterTopic, role: "dead letters, --dead-letter-topic" },
    ]);
    await migrate(store);
    await runConsumer({
      port: settings.kafka.consumer({ groupId: settings.groupId, coPartitioned: mode.topics.length > 1 }),
      topic: settings.topic,
      topics: mode.topics,
      fromBeginning: settings.fromBeginning,
      deadLetterTopic: settings.deadLetterTopic,
      // One batch per diff thread at a time (kafkajs still hands out one per partition).
      concurrency: threads?.size ?? 1,
      handler: mode.handler,
      policy: mode.policy,
      writer: judgeStage
        ? judgingWriter(storePairWriter(store), judgeStage, clock.now())
        : storePairWriter(store),
      signal: shutdown.signal,
      ...(settings.idleExitMs === undefined ? {} : { idleExitMs: settings.idleExitMs }),
      ...(mode.idleGraceMs === undefined ? {} : { idleGraceMs: mode.idleGraceMs }),
      metrics,
      clock,
      logger: settings.logger,
      ...(settings.on?.progress === undefined ? {} : { onProgress: settings.on.progress }),
      ...(settings.on?.assignment === undefined ? {} : { onAssignment: settings.on.assignment }),
    });
    return {
      metrics,
      stopped: shutdown.signal.aborted,
      ...(judgeStage === undefined ? {} : { judged: judgeStage.summary }),
    };
  } finally {
    await closeAll();
  }
}

async function openCaptures(
  settings: ConsumeSettings,
  threads: DiffThreads | undefined,
): Promise<RecordedCapture[]> {
  const candidates = await Promise.all(
    settings.recordedFiles.map((path) =>
      RecordedCapture.open(
        path,
        threads && { parts: threads.size, index: (ranges) => threads.index(path, ranges) },
      ),
    ),
  );
  threads?.attach(candidates.map((capture) => capture.share()));
  for (const capture of candidates) settings.on?.indexed?.(capture, threads?.size);
  return candidates;
}

interface ConsumeMode {
  readonly topics: readonly string[];
  readonly handler: BatchHandler;
  readonly policy: OffsetPolicyFactory;
  /** What an idle consumer still waits for before it exits (a join window, a trace's idle window). */
  readonly idleGraceMs?: number;
}

/** The mode's handler and offset policy: pair-join, executed candidates, or recorded ones. */
function consumeMode(
  settings: ConsumeSettings,
  shared: {
    readonly candidates: readonly RecordedCapture[];
    readonly builder: PairBuilder;
    readonly threads: DiffThreads | undefined;
    readonly manifests: readonly ResolvedRelease[];
    readonly clock: Clock;
  },
): ConsumeMode {
  const { candidates, builder, threads, manifests, clock } = shared;
  if (settings.otlp !== undefined) return otlpMode(settings, settings.otlp, builder, clock);
  if (settings.candidateTopic !== undefined) {
    const join = new JoinState(settings.topic, settings.candidateTopic, settings.joinWindowMs);
    return {
      topics: [settings.topic, settings.candidateTopic],
      handler: new PairJoinHandler(join, builder, clock),
      policy: (context) => new PairJoinPolicy(context, join),
      idleGraceMs: settings.joinWindowMs,
    };
  }
  const flush = { ...DEFAULT_FLUSH, ...settings.flush };
  const policy: OffsetPolicyFactory = (context) => new WriteBehindPolicy(context, settings.topic, flush);
  const executed = settings.executed;
  if (executed === undefined || executed.releases.length === 0) {
    return { topics: [settings.topic], handler: new RecordedHandler(candidates, builder, threads), policy };
  }
  const stage = new ExecutionStage(
    executed.releases,
    executed.settings,
    manifests,
    settings.pricing,
    builder,
  );
  return {
    topics: [settings.topic],
    handler: new ExecutedHandler(stage, executed.settings.concurrency, candidates, builder),
    policy,
  };
}

/** OTLP pair-join: one topic, traces assembled and joined; an idle exit waits out a rootless trace. */
function otlpMode(
  settings: ConsumeSettings,
  otlp: OtlpSettings,
  builder: PairBuilder,
  clock: Clock,
): ConsumeMode {
  const ingest = new TraceIngest(
    {
      graceMs: otlp.graceMs,
      idleMs: otlp.idleMs,
      maxTraces: otlp.maxTraces,
      maxSpans: otlp.maxSpans,
      now: () => clock.now(),
    },
    `kafka:${settings.topic}`,
  );
  const join = new TraceJoin(
    { topic: settings.topic, baselineRelease: otlp.baselineRelease, windowMs: settings.joinWindowMs },
    ingest,
    builder,
  );
  return {
    topics: [settings.topic],
    handler: new OtlpJoinHandler(join, clock),
    policy: (context) => new OtlpJoinPolicy(context, join),
    idleGraceMs: Math.max(otlp.graceMs, otlp.idleMs) + settings.joinWindowMs,
  };
}
