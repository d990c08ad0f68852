import { type BatchOutput, mergeOutputs } from "../pairing/batch-output.js";
import type { FetchedBatch, TopicOffset } from "./consumer-port.js";
import type { Logger } from "./logger.js";
import type { OffsetPolicy, PolicyContext } from "./offset-policy.js";
import type { TraceJoin } from "./trace-join.js";

/**
 * OTLP pair-join's commits: each batch is stored before the fetch moves on, and every partition
 * is committed only as far as TraceHolds allows (never past a message of a trace still
 * assembling or waiting for its partner, nor splitting a stored trace), so a crash re-reads and
 * rebuilds whole traces. Traces usually finish on a timer (the grace window passes after the
 * last span came), so the tick collects, stores and commits too; what it failed to store it
 * keeps, unacknowledged and uncommitted, for the next tick.
 */
export class OtlpJoinPolicy implements OffsetPolicy {
  readonly tickMs = 500;
  /** Next offset past what the store has acknowledged, per partition. */
  private readonly acknowledged = new Map<number, bigint>();
  private unstored: BatchOutput[] = [];
  private ticking = false;
  /** Commits one after another: one computed later must not be overtaken by an earlier one. */
  private commits: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;

  constructor(
    private readonly context: PolicyContext,
    private readonly join: TraceJoin,
  ) {
    this.logger = context.logger.namespace("otlp-join");
  }

  /**
   * Nothing to drop: a trace may span every partition, so this mode runs as one member per
   * topic (docs/OTEL.md), which owns every partition after each join.
   */
  assigned(): void {}

  async settle(batch: FetchedBatch, output: BatchOutput, startedAt: number): Promise<void> {
    const acknowledged = await this.context.store.writeUntilDone(
      output,
      () => batch.pause(),
      () => batch.heartbeat(),
    );
    if (!acknowledged || batch.isStale()) return;
    this.join.stored(output);
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    batch.resolveOffset(last.offset);
    this.acknowledged.set(batch.partition, BigInt(last.offset) + 1n);
    const offsets = await this.commit((safe) => batch.commit(safe));
    await batch.heartbeat();
    this.context.stored({
      output,
      offsets,
      tally: { records: batch.messages.length, partition: batch.partition, lag: batch.lag(), startedAt },
    });
  }

  /** Collects traces whose grace (and records whose window) passed, stores them, commits past them. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.context.clock.now();
      const output = this.join.collect(now, now);
      if (!isEmpty(output)) this.unstored.push(output);
      if (this.unstored.length === 0) return;
      const outputs = this.unstored;
      const merged = mergeOutputs(outputs);
      try {
        await this.context.store.write(merged);
      } catch (error) {
        this.logger.warn(`${outputs.length} timed output(s) not stored; kept for the next pass`, error);
        return;
      }
      this.unstored = [];
      for (const stored of outputs) this.join.stored(stored);
      this.context.storedOutsideBatch(merged);
      await this.commit((offsets) => this.context.port.commitOffsets(offsets)).catch((error: unknown) => {
        // The broker is away: the next batch or pass commits the same offsets, or later ones.
        this.logger.warn(
          "offsets past finished traces not committed; the next batch or pass commits them",
          error,
        );
      });
    } finally {
      this.ticking = false;
    }
  }

  /** A last pass: what finished is stored; what is still assembling is read again after a restart. */
  async drain(): Promise<void> {
    await this.tick();
  }

  private commit(send: (offsets: readonly TopicOffset[]) => Promise<void>): Promise<TopicOffset[]> {
    const next = this.commits.then(async () => {
      const offsets = this.join.commitOffsets(this.acknowledged);
      if (offsets.length > 0) await send(offsets);
      return offsets;
    });
    this.commits = next.catch(() => {});
    return next;
  }
}

function isEmpty(output: BatchOutput): boolean {
  return (
    output.pairs.rows === 0 &&
    output.unpaired.length === 0 &&
    output.deadLetters.length === 0 &&
    output.releases.length === 0
  );
}
