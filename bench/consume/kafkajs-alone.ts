/**
 * bench/consume/kafkajs-alone: how fast kafkajs alone consumes a topic on this machine, doing
 * nothing with the records or only `JSON.parse` of each, in a fresh group from the beginning.
 * It tells whether the client is what limits `shadowdiff consume` (it is not: see
 * docs/BENCHMARKS.md).
 *
 *   npx tsx bench/consume/kafkajs-alone.ts --topic T --records N [--parse] [--brokers H:P]
 */
import { parseArgs } from "node:util";
import { Kafka, logLevel } from "kafkajs";

const { values } = parseArgs({
  options: {
    topic: { type: "string" },
    records: { type: "string" },
    parse: { type: "boolean", default: false },
    brokers: { type: "string", default: process.env.SHADOWDIFF_KAFKA_BROKERS ?? "127.0.0.1:19092" },
  },
});
if (values.topic === undefined || values.records === undefined) {
  throw new Error("usage: kafkajs-alone.ts --topic T --records N [--parse] [--brokers H:P]");
}
const wanted = Number(values.records);
const kafka = new Kafka({ brokers: values.brokers.split(","), logLevel: logLevel.NOTHING });
// The same fetch settings as `shadowdiff consume`.
const consumer = kafka.consumer({
  groupId: `kafkajs-alone-${Date.now()}`,
  maxBytesPerPartition: 4 << 20,
  maxWaitTimeInMs: 1_000,
});
await consumer.connect();
await consumer.subscribe({ topics: [values.topic], fromBeginning: true });
const started = performance.now();
let records = 0;
let parsedIds = 0;
await new Promise<void>((resolve) => {
  void consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        if (values.parse)
          parsedIds +=
            (JSON.parse(message.value?.toString("utf8") ?? "null") as { id: string }).id.length > 0 ? 1 : 0;
        records++;
      }
      if (records >= wanted) resolve();
    },
  });
});
const seconds = (performance.now() - started) / 1000;
await consumer.disconnect();
console.log(
  JSON.stringify({
    bench: "kafkajs-alone",
    parse: values.parse,
    records,
    parsed_ids: parsedIds,
    seconds: Number(seconds.toFixed(2)),
    records_per_s: Math.round(records / seconds),
  }),
);
