import type { PairRow } from "../contracts/pair-row.js";
import type { BatchOutput, DeadLetterMessage } from "../pairing/batch-output.js";
import type { PairBuilder } from "../pairing/pair-builder.js";
import { parseMessage } from "../pairing/recorded-batch.js";
import { encodeRows } from "../store/tab-separated.js";
import type { BatchHandler, HandledBatch } from "./batch-handler.js";
import type { Clock } from "./clock.js";
import type { JoinState } from "./join-state.js";

/**
 * Pair-join: baseline and candidate records arrive on two co-partitioned topics and meet in a
 * per-partition buffer by pair key; a pair is diffed as soon as both sides are in, and records
 * that waited past the window come out as unpaired.
 */
export class PairJoinHandler implements BatchHandler {
  constructor(
    private readonly join: JoinState,
    private readonly builder: PairBuilder,
    private readonly clock: Clock,
  ) {}

  async handle(batch: HandledBatch, version: number): Promise<BatchOutput> {
    const side = batch.topic === this.join.baselineTopic ? "baseline" : "candidate";
    const pairs: PairRow[] = [];
    const deadLetters: DeadLetterMessage[] = [];
    for (const message of batch.messages) {
      const parsed = parseMessage(message, batch.topic, batch.partition);
      if (!("record" in parsed)) {
        deadLetters.push(parsed);
        continue;
      }
      const joined = this.join.offer({
        side,
        record: parsed.record,
        text: parsed.text,
        topic: batch.topic,
        partition: batch.partition,
        offset: BigInt(message.offset),
        arrivedAt: this.clock.now(),
      });
      if (joined.kind === "pair") {
        pairs.push(
          this.builder.build(joined.baseline.record, joined.candidate.record, version, {
            baseline: joined.baseline.text,
            candidate: joined.candidate.text,
          }),
        );
      }
    }
    const unpaired = this.join
      .expire(batch.partition, this.clock.now())
      .map((entry) => this.join.unpairedRow(entry, version));
    return { deadLetters, releases: this.builder.newReleases(version), pairs: encodeRows(pairs), unpaired };
  }
}
