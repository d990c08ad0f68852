import type { ReleaseRow } from "../contracts/pair-row.js";
import type { BatchOutput } from "../pairing/batch-output.js";
import type { FetchedBatch } from "./consumer-port.js";
import type { OffsetPolicy, PolicyContext } from "./offset-policy.js";
import { WriteBehind } from "./write-behind.js";

export interface FlushPolicy {
  /** Store once this many pairs are waiting… */
  readonly maxPairs: number;
  /** …or their rows hold about this many bytes… */
  readonly maxBytes: number;
  /** …or the oldest has waited this long. */
  readonly maxDelayMs: number;
}

export const DEFAULT_FLUSH: FlushPolicy = { maxPairs: 50_000, maxBytes: 160 << 20, maxDelayMs: 1_000 };

/**
 * Commit after acknowledged store writes (recorded and executed candidates): each handled batch
 * moves this member's fetch position on at once and joins the write-behind; its offset is
 * committed once the write holding its rows was acknowledged, and only for partitions this
 * member still owns. While the store is unreachable the whole topic is paused and the write
 * retried; a permanent failure ends the run.
 */
export class WriteBehindPolicy implements OffsetPolicy {
  readonly tickMs = 100;
  private readonly sink: WriteBehind;
  private readonly assignedPartitions = new Set<number>();
  /** Releases seen by batches not yet handed to the store (a stale batch's are not lost). */
  private readonly pendingReleases: ReleaseRow[] = [];
  /** The latest batch's heartbeat: the group must keep hearing from a member waiting on the store. */
  private heartbeat: () => Promise<void> = async () => {};

  constructor(context: PolicyContext, topic: string, flush: FlushPolicy) {
    const { port, store } = context;
    this.sink = new WriteBehind({
      ...flush,
      store: (output) =>
        store.writeUntilDone(
          output,
          () => {
            port.pause(topic);
            return () => port.resume(topic);
          },
          () => this.heartbeat(),
        ),
      // Only partitions this member still owns: another one's are its new owner's to commit.
      commit: (offsets) =>
        port.commitOffsets(offsets.filter((entry) => this.assignedPartitions.has(entry.partition))),
      onStored: (batches) => {
        for (const batch of batches) context.stored(batch);
      },
      onFailure: context.fail,
      clock: context.clock,
      logger: context.logger.namespace("write-behind"),
    });
  }

  assigned(partitions: readonly number[]): void {
    this.assignedPartitions.clear();
    for (const partition of partitions) this.assignedPartitions.add(partition);
  }

  async settle(batch: FetchedBatch, output: BatchOutput, startedAt: number): Promise<void> {
    this.heartbeat = () => batch.heartbeat();
    const { topic, partition, messages } = batch;
    // A batch whose partition was reassigned meanwhile is left to its new owner, uncommitted; the
    // releases it saw first go with the next batch.
    this.pendingReleases.push(...output.releases);
    const last = messages.at(-1);
    if (last === undefined || batch.isStale()) return;
    // Resolving moves this member's fetch position on; the commit waits for the store (WriteBehind).
    batch.resolveOffset(last.offset);
    await this.sink.add(
      {
        output: { ...output, releases: this.pendingReleases.splice(0) },
        offsets: [{ topic, partition, offset: String(BigInt(last.offset) + 1n) }],
        tally: { records: messages.length, partition, lag: batch.lag(), startedAt },
      },
      () => batch.heartbeat(),
    );
    await batch.heartbeat();
  }

  async tick(): Promise<void> {
    this.sink.tick();
  }

  async drain(): Promise<void> {
    await this.sink.drain();
  }
}
