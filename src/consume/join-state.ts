import { pairKey } from "../contracts/exchange.js";
import type { UnpairedRow } from "../contracts/pair-row.js";
import { unpairedRow } from "../pairing/pair-builder.js";
import { JoinBuffer, type JoinResult, type Waiting } from "./join-buffer.js";

/** Expired records of one partition. */
export interface ExpiredRecords {
  readonly partition: number;
  readonly entries: readonly Waiting[];
}

/**
 * Pair-join state shared by its handler (which offers records and expires them) and its offset
 * policy (which commits below the oldest one waiting): one JoinBuffer per partition number, and
 * the candidate release to name for a baseline record whose partner never came.
 */
export class JoinState {
  private readonly buffers = new Map<number, JoinBuffer>();
  private lastCandidateRelease: string | undefined;

  constructor(
    readonly baselineTopic: string,
    readonly candidateTopic: string,
    readonly windowMs: number,
  ) {}

  /** Revoked partitions go to their new owner, which re-reads the uncommitted records. */
  keepOnly(partitions: readonly number[]): void {
    for (const partition of [...this.buffers.keys()])
      if (!partitions.includes(partition)) this.buffers.delete(partition);
  }

  offer(entry: Waiting): JoinResult {
    if (entry.side === "candidate") this.lastCandidateRelease = entry.record.release.id;
    return this.buffer(entry.partition).offer(pairKey(entry.record), entry);
  }

  /** Removes and returns the records of a partition whose window passed at `now`. */
  expire(partition: number, now: number): Waiting[] {
    return this.buffer(partition).expire(now, this.windowMs);
  }

  /** The same for every partition. */
  expireAll(now: number): ExpiredRecords[] {
    return [...this.buffers].map(([partition, buffer]) => ({
      partition,
      entries: buffer.expire(now, this.windowMs),
    }));
  }

  /** Puts expired records back (they were not stored), so a later pass counts them. */
  putBack(entries: readonly Waiting[]): void {
    for (const entry of entries) this.buffer(entry.partition).offer(pairKey(entry.record), entry);
  }

  lowestWaitingOffset(topic: string, partition: number): bigint | undefined {
    return this.buffers.get(partition)?.lowestWaitingOffset(topic);
  }

  unpairedRow(entry: Waiting, version: number): UnpairedRow {
    const candidateRelease =
      entry.side === "candidate"
        ? entry.record.release.id
        : (this.lastCandidateRelease ?? `unknown:${this.candidateTopic}`);
    return unpairedRow(entry.record, entry.side, candidateRelease, version);
  }

  private buffer(partition: number): JoinBuffer {
    let buffer = this.buffers.get(partition);
    if (buffer === undefined) {
      buffer = new JoinBuffer();
      this.buffers.set(partition, buffer);
    }
    return buffer;
  }
}
