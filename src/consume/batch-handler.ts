import type { BatchOutput } from "../pairing/batch-output.js";
import type { FetchedBatch } from "./consumer-port.js";

/** What a handler sees of a batch: its records, and a heartbeat for long work. */
export type HandledBatch = Pick<FetchedBatch, "topic" | "partition" | "messages" | "heartbeat">;

/**
 * One per mode (recorded candidates, executed candidates, pair-join): turns a batch of Kafka
 * messages into the one BatchOutput. It stores nothing and commits nothing; the offset policy
 * does both with what it returns.
 */
export interface BatchHandler {
  /** `version` stamps every row of the batch (the store keeps the highest per key). */
  handle(batch: HandledBatch, version: number): Promise<BatchOutput>;
}
