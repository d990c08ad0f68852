import type { Consumer, EachBatchPayload, Producer } from "kafkajs";
import { pairKey } from "../contracts/exchange.js";
import type { PairRow, UnpairedRow } from "../contracts/pair-row.js";
import { type PairBuilder, unpairedRow } from "../pairing/pair-builder.js";
import { parseMessage } from "../pairing/recorded-batch.js";
import { encodeRows } from "../store/tab-separated.js";
import type { ConsumeOptions } from "./consume.js";
import { countBatch } from "./consume-metrics.js";
import { type BatchOutput, untilDone, writeOutput } from "./consume-output.js";
import { JoinBuffer, type Waiting } from "./join-buffer.js";
import type { DeadLetterMessage } from "./write-behind.js";

/**
 * Pair-join mode: baseline and candidate records arrive on two co-partitioned topics and meet in
 * a per-partition buffer. Offsets are committed only up to the oldest record still waiting on
 * each topic-partition, so after a crash every unjoined record is read again and joins then.
 */
export class JoinState {
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
      const parsed = parseMessage(message, batch.topic, batch.partition);
      if (!("record" in parsed)) {
        deadLetters.push(parsed);
        continue;
      }
      if (side === "candidate") this.lastCandidateRelease = parsed.record.release.id;
      const entry: Waiting = {
        side,
        record: parsed.record,
        text: parsed.text,
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

    countBatch(
      options.metrics,
      {
        ...output,
        records: batch.messages.length,
        partition: batch.partition,
        lag: Number(batch.offsetLag()),
        started,
      },
      options.onProgress,
    );
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
