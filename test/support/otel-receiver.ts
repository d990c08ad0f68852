import { type OtlpReceiver, startOtlpReceiver } from "../../src/collect/receiver.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import type { IngestOutput } from "../../src/sources/otel/trace-ingest.js";
import { TraceIngest } from "../../src/sources/otel/trace-ingest.js";

/** The receiver `shadowdiff collect` runs, on a free loopback port, collecting what it emits. */
export async function testReceiver(): Promise<{
  receiver: OtlpReceiver;
  records: ExchangeRecord[];
  deadLetters: IngestOutput[];
}> {
  const records: ExchangeRecord[] = [];
  const deadLetters: IngestOutput[] = [];
  // A grace far beyond the test: traces leave at close(), so nothing depends on timing.
  const ingest = new TraceIngest(
    { graceMs: 600_000, idleMs: 600_000, maxTraces: 1_000, maxSpans: 100_000, now: Date.now },
    "collect",
  );
  const receiver = await startOtlpReceiver({
    host: "127.0.0.1",
    port: 0,
    maxBodyBytes: 4 << 20,
    ingest,
    tickMs: 50,
    onOutputError: (error) => {
      throw error;
    },
    onOutput: async (items) => {
      for (const item of items) {
        if (item.kind === "record") records.push(item.record);
        else deadLetters.push(item);
      }
    },
  });
  return { receiver, records, deadLetters };
}
