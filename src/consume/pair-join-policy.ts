import type { BatchOutput } from "../pairing/batch-output.js";
import { encodeRows } from "../store/tab-separated.js";
import type { FetchedBatch, TopicOffset } from "./consumer-port.js";
import type { JoinState } from "./join-state.js";
import type { Logger } from "./logger.js";
import type { OffsetPolicy, PolicyContext } from "./offset-policy.js";

/**
 * Pair-join's commits: each batch is stored before the fetch moves on, and offsets are committed
 * only up to the oldest record still waiting for its partner on each topic-partition (else past
 * everything acknowledged), so after a crash every unjoined record is read again and joins then.
 * Records whose window passed while no batch came are stored as unpaired on a tick.
 */
export class PairJoinPolicy implements OffsetPolicy {
  readonly tickMs = 500;
  /** Next offset past what the store has acknowledged, per topic and partition. */
  private readonly acknowledged = new Map<string, bigint>();
  private expiring = false;
  private readonly logger: Logger;

  constructor(
    private readonly context: PolicyContext,
    private readonly join: JoinState,
  ) {
    this.logger = context.logger.namespace("pair-join");
  }

  assigned(partitions: readonly number[]): void {
    this.join.keepOnly(partitions);
  }

  async settle(batch: FetchedBatch, output: BatchOutput, startedAt: number): Promise<void> {
    const acknowledged = await this.context.store.writeUntilDone(
      output,
      () => batch.pause(),
      () => batch.heartbeat(),
    );
    if (!acknowledged || batch.isStale()) return;
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    batch.resolveOffset(last.offset);
    this.acknowledged.set(`${batch.topic}/${batch.partition}`, BigInt(last.offset) + 1n);
    const offsets = this.safeOffsets([batch.partition]);
    await batch.commit(offsets);
    await batch.heartbeat();
    this.context.stored({
      output,
      offsets,
      tally: { records: batch.messages.length, partition: batch.partition, lag: batch.lag(), startedAt },
    });
  }

  /** Stores expired records as unpaired when no batch comes to do it, and commits past them. */
  async tick(): Promise<void> {
    if (this.expiring) return;
    this.expiring = true;
    try {
      const { clock, store, port } = this.context;
      const version = clock.now();
      const expiredBy = this.join.expireAll(clock.now());
      const entries = expiredBy.flatMap((entry) => entry.entries);
      if (entries.length === 0) return;
      const rows = entries.map((entry) => this.join.unpairedRow(entry, version));
      const output = { pairs: encodeRows([]), unpaired: rows, releases: [], deadLetters: [] };
      try {
        await store.write(output);
      } catch (error) {
        // Not stored: put them back, so the next pass (or a batch) counts them.
        this.logger.warn(`${rows.length} unpaired record(s) not stored; kept for the next pass`, error);
        this.join.putBack(entries);
        return;
      }
      this.context.storedOutsideBatch(output);
      const partitions = expiredBy
        .filter((entry) => entry.entries.length > 0)
        .map((entry) => entry.partition);
      const offsets = this.safeOffsets(partitions);
      await port.commitOffsets(offsets).catch((error: unknown) => {
        // The broker is away: the next batch or pass commits the same offsets.
        this.logger.warn(
          "offsets past expired records not committed; the next batch or pass commits them",
          error,
        );
      });
    } finally {
      this.expiring = false;
    }
  }

  /** Nothing is gathered: each batch was stored before the fetch moved on. */
  async drain(): Promise<void> {}

  /** Per partition and topic: up to the oldest waiting record, else past everything acknowledged. */
  private safeOffsets(partitions: readonly number[]): TopicOffset[] {
    const topics = [this.join.baselineTopic, this.join.candidateTopic];
    return topics.flatMap((topic) =>
      partitions.flatMap((partition) => {
        const waiting = this.join.lowestWaitingOffset(topic, partition);
        const offset = waiting ?? this.acknowledged.get(`${topic}/${partition}`);
        return offset === undefined ? [] : [{ topic, partition, offset: offset.toString() }];
      }),
    );
  }
}
