import type { ExchangeRecord } from "../contracts/exchange.js";

export type JoinSide = "baseline" | "candidate";

export interface Waiting {
  readonly side: JoinSide;
  readonly record: ExchangeRecord;
  readonly text: string;
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset of the record, as a bigint: the commit may not pass it while it waits. */
  readonly offset: bigint;
  /** Wall-clock ms when it arrived; it expires `window` ms later. */
  readonly arrivedAt: number;
}

export type JoinResult =
  | { readonly kind: "pair"; readonly baseline: Waiting; readonly candidate: Waiting }
  | { readonly kind: "waiting" };

/**
 * The pair-join state of one partition number: records waiting for their partner, by pair key.
 * Pure (time is passed in), so the windowing is unit-tested without a broker.
 */
export class JoinBuffer {
  private readonly waiting = new Map<string, Waiting>();

  get size(): number {
    return this.waiting.size;
  }

  /** Adds a record; returns the pair when its partner was waiting. A repeat of a waiting side replaces it. */
  offer(key: string, entry: Waiting): JoinResult {
    const other = this.waiting.get(key);
    if (other !== undefined && other.side !== entry.side) {
      this.waiting.delete(key);
      return entry.side === "baseline"
        ? { kind: "pair", baseline: entry, candidate: other }
        : { kind: "pair", baseline: other, candidate: entry };
    }
    this.waiting.set(key, entry);
    return { kind: "waiting" };
  }

  /** Removes and returns the records that waited longer than `windowMs` at time `now`. */
  expire(now: number, windowMs: number): Waiting[] {
    const expired: Waiting[] = [];
    for (const [key, entry] of this.waiting) {
      if (now - entry.arrivedAt >= windowMs) {
        expired.push(entry);
        this.waiting.delete(key);
      }
    }
    return expired;
  }

  /** The lowest offset still waiting on a topic: offsets may be committed up to it, not past it. */
  lowestWaitingOffset(topic: string): bigint | undefined {
    let lowest: bigint | undefined;
    for (const entry of this.waiting.values()) {
      if (entry.topic === topic && (lowest === undefined || entry.offset < lowest)) lowest = entry.offset;
    }
    return lowest;
  }
}
