import type { BatchOutput } from "../pairing/batch-output.js";
import type { PairBuilder } from "../pairing/pair-builder.js";
import { diffRecordedBatch } from "../pairing/recorded-batch.js";
import type { RecordedCapture } from "../sources/recorded-capture.js";
import type { DiffThreads } from "../threads/diff-threads.js";
import type { BatchHandler, HandledBatch } from "./batch-handler.js";

/**
 * Recorded candidates: each baseline record is paired with every capture's record of its key.
 * With diff threads (which hold the captures' indexes and their own PairBuilder: compiled
 * validators do not cross threads) the batch is diffed there; without, in this thread.
 */
export class RecordedHandler implements BatchHandler {
  constructor(
    private readonly candidates: readonly RecordedCapture[],
    private readonly builder: PairBuilder,
    private readonly threads?: DiffThreads,
  ) {}

  async handle({ topic, partition, messages }: HandledBatch, version: number): Promise<BatchOutput> {
    if (this.threads !== undefined) return this.threads.diff(topic, partition, version, messages);
    return diffRecordedBatch(topic, partition, messages, this.candidates, this.builder, version);
  }
}
