import type { BatchOutput } from "../pairing/batch-output.js";
import type { BatchHandler, HandledBatch } from "./batch-handler.js";
import type { Clock } from "./clock.js";
import type { TraceJoin } from "./trace-join.js";

/**
 * `consume --format otlp`: each message is one OTLP ExportTraceServiceRequest (protobuf or JSON,
 * as the Collector's Kafka exporter writes them); its spans are assembled into traces across
 * messages and partitions, and the records of finished traces are joined into pairs.
 */
export class OtlpJoinHandler implements BatchHandler {
  constructor(
    private readonly join: TraceJoin,
    private readonly clock: Clock,
  ) {}

  async handle(batch: HandledBatch, version: number): Promise<BatchOutput> {
    const letters = batch.messages.flatMap((message) => this.join.offer(message, batch.partition));
    return this.join.collect(this.clock.now(), version, letters);
  }
}
