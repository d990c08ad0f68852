import type { PairWriter } from "../store/store.js";
import type { BatchHandler } from "./batch-handler.js";
import type { Clock } from "./clock.js";
import type { ConsumeMetrics } from "./consume-metrics.js";
import type { ConsumerPort, FetchedBatch } from "./consumer-port.js";
import type { Logger } from "./logger.js";
import type { OffsetPolicyFactory, PendingBatch } from "./offset-policy.js";
import { OutputStore } from "./output-store.js";

export interface RunnerOptions {
  readonly port: ConsumerPort;
  /** The baseline topic: its partitions are this member's assignment, and it is paused to drain. */
  readonly topic: string;
  /** Everything subscribed (the baseline topic, and in pair-join mode the candidate topic). */
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  readonly deadLetterTopic: string;
  /** Partitions handled at once (one per diff thread); one batch per partition at a time. */
  readonly concurrency: number;
  readonly handler: BatchHandler;
  readonly policy: OffsetPolicyFactory;
  readonly writer: PairWriter;
  /** Aborted on SIGTERM/SIGINT: stop fetching, drain what was gathered, leave the group. */
  readonly signal: AbortSignal;
  /** Stop by itself after this long without a message (tests, one-off backfills)… */
  readonly idleExitMs?: number;
  /** …plus this long (pair-join's window: a waiting record may still be expired and stored). */
  readonly idleGraceMs?: number;
  readonly metrics: ConsumeMetrics;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onProgress?: (metrics: ConsumeMetrics) => void;
  /** Called after each (re)join of the group with this member's partitions of the topic. */
  readonly onAssignment?: (partitions: readonly number[]) => void;
}

/** How long a stopping consumer gives the store to take what it collected before leaving. */
export const DRAIN_ON_STOP_MS = 5_000;

/**
 * Idle means connected and answered, with nothing to read: a fetch the broker answered within
 * this long (three of the 1 s long-polls) must back the quiet period, or a broker restart longer
 * than --idle-exit ends the run with records still unread (seen: 225 of 600 stored, exit 0).
 */
export const IDLE_FETCH_RECENCY_MS = 3_000;

/**
 * The consumer's loop, as kafkajs's runner: connect, subscribe, hand each fetched batch to the
 * mode's handler and its output to the offset policy, until stopped (abort), idle (`idleExitMs`
 * of quiet backed by answered fetches) or failed (a store failure no retry fixes, which it
 * rethrows). Stopping pauses fetching, gives the policy up to DRAIN_ON_STOP_MS to store and
 * commit what it holds while this member still owns its partitions, then leaves the group;
 * whatever was not stored is read again after a restart.
 */
export async function runConsumer(options: RunnerOptions): Promise<void> {
  const { port, clock, signal, metrics } = options;
  const logger = options.logger.namespace("runner");
  // A permanent store failure ends the run (the wait below rejects with it); set once.
  let failure: { error: unknown } | undefined;
  let failWith: (error: unknown) => void = (error) => {
    failure ??= { error };
  };
  const store = new OutputStore({
    writer: options.writer,
    sendDeadLetters: (messages) => port.sendDeadLetters(options.deadLetterTopic, messages),
    signal,
    clock,
    logger: options.logger,
    onRetry: () => metrics.countStoreRetry(),
  });
  const policy = options.policy({
    port,
    store,
    clock,
    logger: options.logger,
    stored: (batch: PendingBatch) => {
      metrics.countBatch(batch.output, batch.tally, clock.monotonic());
      options.onProgress?.(metrics);
    },
    storedOutsideBatch: (output) => metrics.countOutsideBatch(output),
    fail: (error) => failWith(error),
  });
  port.onAssignment((assignment) => {
    const partitions = [...(assignment[options.topic] ?? [])].sort((a, b) => a - b);
    policy.assigned(partitions);
    options.onAssignment?.(partitions);
  });
  // Only a fetch the broker answered counts: while the broker is away (or fetching is paused for
  // a store outage) there are none, and that is not idleness.
  let lastFetchAt = Number.NEGATIVE_INFINITY;
  port.onFetch(() => {
    lastFetchAt = clock.now();
  });
  const tick = () =>
    void policy.tick().catch((error: unknown) => logger.warn("a timed store or commit failed", error));
  await port.connect();
  let lastMessageAt = clock.now();
  let stopTicking = () => {};
  try {
    await port.subscribe(options.topics, options.fromBeginning);
    await port.run(options.concurrency, async (batch: FetchedBatch) => {
      lastMessageAt = clock.now();
      const startedAt = clock.monotonic();
      const output = await options.handler.handle(batch, clock.now());
      await policy.settle(batch, output, startedAt);
      lastMessageAt = clock.now();
    });
    stopTicking = clock.repeat(policy.tickMs, tick);
    await new Promise<void>((resolve, reject) => {
      if (failure !== undefined) return reject(failure.error);
      const timers: (() => void)[] = [stopTicking];
      const end = (settle: () => void) => {
        for (const cancel of timers) cancel();
        signal.removeEventListener("abort", stop);
        settle();
      };
      const stop = () => end(resolve);
      failWith = (error) => {
        failure ??= { error };
        end(() => reject(error));
      };
      if (signal.aborted) return end(resolve);
      signal.addEventListener("abort", stop, { once: true });
      const { idleExitMs } = options;
      if (idleExitMs === undefined) return;
      timers.push(
        clock.repeat(IDLE_CHECK_MS, () => {
          const now = clock.now();
          const quiet = now - lastMessageAt >= idleExitMs + (options.idleGraceMs ?? 0);
          const fetching = now - lastFetchAt <= IDLE_FETCH_RECENCY_MS;
          if (!quiet || !fetching) return;
          // A last pass: records whose window has passed are stored before leaving.
          for (const cancel of timers) cancel();
          void policy
            .tick()
            .catch((error: unknown) => logger.warn("the last timed store or commit failed", error))
            .then(() => end(resolve));
        }),
      );
    });
  } finally {
    stopTicking();
    if (failure === undefined) {
      // Stop fetching, then give the store what was collected (and commit it) while this member
      // still owns its partitions; whatever is not stored in time is read again after a restart.
      port.pause(options.topic);
      // Unreferenced: the time limit must not itself keep the process alive once drained.
      await Promise.race([policy.drain(), clock.sleep(DRAIN_ON_STOP_MS, { ref: false })]);
    }
    // stop() waits for the running batch to finish or notice the abort; disconnect leaves the group.
    await port.stop().catch((error: unknown) => logger.warn("stopping the fetch loop failed", error));
    await port.disconnect().catch((error: unknown) => logger.warn("leaving the group failed", error));
    await port
      .disconnectSender()
      .catch((error: unknown) => logger.warn("disconnecting the dead-letter producer failed", error));
  }
}

/** How often idleness is checked. */
const IDLE_CHECK_MS = 250;
