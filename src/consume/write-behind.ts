import { mergeOutputs } from "../pairing/batch-output.js";
import type { Clock } from "./clock.js";
import type { TopicOffset } from "./consumer-port.js";
import type { Logger } from "./logger.js";
import type { PendingBatch } from "./offset-policy.js";

export interface WriteBehindOptions {
  /**
   * Stores the merged output of several batches (dead letters, releases, pairs, unpaired),
   * retrying until it is acknowledged; resolves false if the consumer stopped first.
   */
  readonly store: (batch: PendingBatch["output"]) => Promise<boolean>;
  /** Commits offsets whose records are all stored. */
  readonly commit: (offsets: readonly TopicOffset[]) => Promise<void>;
  /** Called with the batches of each acknowledged write, after their commit. */
  readonly onStored: (batches: readonly PendingBatch[]) => void;
  /** Write once this many pairs are waiting. */
  readonly maxPairs: number;
  /** … or once their encoded rows hold this many bytes. */
  readonly maxBytes: number;
  /** … or once the oldest has waited this long (a quiet topic still gets stored soon)… */
  readonly maxDelayMs: number;
  /** … or once no batch came for this long: the consumer has caught up, nothing fuller is coming. */
  readonly idleMs?: number;
  /**
   * A write failed in a way no retry fixes (`store` threw): nothing of it is committed, later
   * batches are dropped uncommitted, and the consumer is told to stop.
   */
  readonly onFailure?: (error: unknown) => void;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Write-behind for the consumer: batches from Kafka are collected into large store writes, and
 * each write goes on while the next batches are diffed. A ClickHouse insert makes a part, and
 * parts are merged in the background, so a few large inserts cost the server a fraction of many
 * small ones (bench/consume: 1,000-row inserts took 3× the server CPU of 20,000-row ones).
 *
 * At least once still holds: a batch's offsets are committed only after the write holding its
 * rows was acknowledged. In-flight work is bounded: one write running and one buffer filling;
 * `add` waits (heart-beating) while both are full, so a store outage stops the fetching.
 */
export class WriteBehind {
  private buffer: PendingBatch[] = [];
  private bufferedPairs = 0;
  private bufferedBytes = 0;
  private oldestAt = 0;
  private lastAddAt = 0;
  private running: Promise<boolean> | undefined;
  /** A write was given up (the consumer stopped before the store took it). */
  private abandoned = false;
  /** A write failed for good: nothing more is written or committed. */
  private failed = false;

  constructor(private readonly options: WriteBehindOptions) {}

  /** Buffers a batch; starts a write when the buffer is full, waiting first for the running one. */
  async add(batch: PendingBatch, heartbeat: () => Promise<void>): Promise<void> {
    // Uncommitted, so read again by whichever member owns the partition next.
    if (this.failed) return;
    this.lastAddAt = this.options.clock.now();
    if (this.buffer.length === 0) this.oldestAt = this.lastAddAt;
    this.buffer.push(batch);
    this.bufferedPairs += batch.output.pairs.rows;
    this.bufferedBytes += batch.output.pairs.bytes;
    const full = this.bufferedPairs >= this.options.maxPairs || this.bufferedBytes >= this.options.maxBytes;
    if (full) await this.startWrite(heartbeat);
  }

  /** Timer tick: starts a write of a buffer that waited long enough, if none is running. */
  tick(): void {
    if (this.failed || this.running !== undefined || this.buffer.length === 0) return;
    const now = this.options.clock.now();
    const idle = now - this.lastAddAt >= (this.options.idleMs ?? DEFAULT_IDLE_MS);
    if (idle || now - this.oldestAt >= this.options.maxDelayMs) void this.startWrite(async () => {});
  }

  /** Writes everything buffered and waits for every write; false if any was ever given up. */
  async drain(): Promise<boolean> {
    while (!this.failed && (this.running !== undefined || this.buffer.length > 0)) {
      // Through `running`, so a batch added meanwhile waits its turn: writes (and their
      // commits) never overlap, and offsets are committed in order.
      if (this.running === undefined) this.run(this.take());
      await this.running;
    }
    return !this.abandoned && !this.failed;
  }

  private async startWrite(heartbeat: () => Promise<void>): Promise<void> {
    // The group must keep hearing from this member while it waits (a slow or absent store).
    while (this.running !== undefined) {
      await Promise.race([this.running, this.options.clock.sleep(1_000)]);
      await heartbeat().catch((error: unknown) =>
        this.options.logger.warn("heartbeat while waiting for the running write failed", error),
      );
    }
    if (this.buffer.length > 0) this.run(this.take());
  }

  private run(batches: readonly PendingBatch[]): void {
    const running = this.write(batches).then((stored) => {
      if (this.running === running) this.running = undefined;
      return stored;
    });
    this.running = running;
  }

  private take(): PendingBatch[] {
    const batches = this.buffer;
    this.buffer = [];
    this.bufferedPairs = 0;
    this.bufferedBytes = 0;
    return batches;
  }

  private async write(batches: readonly PendingBatch[]): Promise<boolean> {
    let stored: boolean;
    try {
      stored = await this.options.store(mergeOutputs(batches.map((batch) => batch.output)));
    } catch (error) {
      this.failed = true;
      this.buffer = [];
      this.options.onFailure?.(error);
      return false;
    }
    if (!stored) {
      this.abandoned = true;
      return false;
    }
    // A failed commit is not retried here: the next write commits further, and a record whose
    // offset was never committed is read again and replaces its stored row.
    const offsets = latestOffsets(batches);
    await this.options
      .commit(offsets)
      .catch((error: unknown) =>
        this.options.logger.warn(
          `offsets not committed (${offsets.map(describeOffset).join(", ")}); the next write commits further`,
          error,
        ),
      );
    this.options.onStored(batches);
    return true;
  }
}

/** Longer than the gap between batches of a busy consumer, far shorter than `maxDelayMs`. */
const DEFAULT_IDLE_MS = 250;

/** Per topic-partition, the offset of the latest batch (batches of a partition arrive in order). */
function latestOffsets(batches: readonly PendingBatch[]): TopicOffset[] {
  const latest = new Map<string, TopicOffset>();
  for (const batch of batches)
    for (const offset of batch.offsets) latest.set(`${offset.topic}\u0000${offset.partition}`, offset);
  return [...latest.values()];
}

function describeOffset({ topic, partition, offset }: TopicOffset): string {
  return `${topic}/${partition}@${offset}`;
}
