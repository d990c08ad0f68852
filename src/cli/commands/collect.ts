import type { Command } from "commander";
import { startOtlpReceiver } from "../../collect/receiver.js";
import {
  type DeliveryCounts,
  deliver,
  fileSink,
  kafkaSink,
  type RecordSink,
} from "../../collect/record-sink.js";
import { ShadowdiffError } from "../../contracts/errors.js";
import { DeadLetterFile } from "../../pipeline/dead-letter.js";
import { requireTopics } from "../../sources/kafka/require-topics.js";
import { TraceIngest } from "../../sources/otel/trace-ingest.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { kafkaClient, kafkaOptions, shutdownSignal } from "../kafka-options.js";
import { numberAbove, wholeNumber } from "../option-parsers.js";
import { addOptions, option, readOptions } from "../option-table.js";

const collectOptions = {
  port: option<number>({
    flags: "--port <port>",
    description: "OTLP/HTTP port; 0 takes a free one (the start-up line names it)",
    env: "SHADOWDIFF_COLLECT_PORT",
    defaultValue: 4318,
    parse: wholeNumber(0, 65_535),
  }),
  host: option({ flags: "--host <host>", description: "listen address", defaultValue: "127.0.0.1" }),
  out: option({
    flags: "--out <file>",
    defaultText: "none",
    description: "append the exchange records to this JSONL capture file",
  }),
  topic: option({
    flags: "--topic <topic>",
    defaultText: "none",
    description: "produce the exchange records to this Kafka topic (keyed by session, else id)",
  }),
  grace: option<number>({
    flags: "--grace <seconds>",
    description: "how long after a trace's root span its late spans and log events still join",
    defaultValue: 5,
    parse: numberAbove(0, { inclusive: true }),
  }),
  idle: option<number>({
    flags: "--idle <seconds>",
    description: "a trace whose root span never comes is mapped this long after its last span",
    defaultValue: 60,
    parse: numberAbove(0),
  }),
  maxTraces: option<number>({
    flags: "--max-traces <n>",
    description: "traces held at once; past it the oldest goes to the dead letters",
    defaultValue: 10_000,
    parse: wholeNumber(1),
  }),
  maxSpans: option<number>({
    flags: "--max-spans <n>",
    description: "spans held at once; past it the oldest trace goes to the dead letters",
    defaultValue: 1_000_000,
    parse: wholeNumber(1),
  }),
  maxBody: option<number>({
    flags: "--max-body <bytes>",
    description: "largest request body, after gunzip; larger ones get 413",
    defaultValue: 16 << 20,
    parse: wholeNumber(1),
  }),
  deadLetter: option({
    flags: "--dead-letter <file>",
    description: "where traces that make no record go, with the reason and the trace id",
    env: "SHADOWDIFF_DEAD_LETTER",
    defaultValue: "reports/dead-letters.jsonl",
  }),
  ...kafkaOptions,
} as const;

export function registerCollect(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("collect")
    .description("receive OpenTelemetry GenAI traces over OTLP/HTTP and write them as exchange records")
    .addHelpText(
      "after",
      `
An OTLP/HTTP receiver: POST /v1/traces and /v1/logs, protobuf (application/x-protobuf) or JSON
(application/json), gzip or not. Spans of one trace are assembled until the trace's root span
has arrived plus --grace; each trace becomes one exchange record (docs/OTEL.md has the attribute
mapping). Point an SDK's OTLP exporter or a Collector's otlphttp exporter at it.
SIGTERM/SIGINT stops accepting and writes every trace still held before exiting.
With --topic, the topic must exist (shadowdiff never creates it) and the brokers must answer at
start-up, else collect exits with the error. Once running, a write Kafka refuses (brokers away,
topic deleted; after the producer's retries) is reported on stderr and those records go to
--dead-letter with their text; collect keeps receiving and later records try Kafka again.

Example:
  shadowdiff collect --port 4318 --out captures/baseline.jsonl
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 node agent.js`,
    );
  addOptions(command, collectOptions);
  command.action(() => run(() => collectAction(command, context)));
}

async function collectAction(command: Command, context: CliContext): Promise<number> {
  const options = readOptions(
    command,
    collectOptions,
    await loadCommandConfig(command, context.env),
    context.env,
  );
  if ((options.out === undefined) === (options.topic === undefined))
    throw new ShadowdiffError("BAD_USAGE", "collect: give exactly one of --out FILE or --topic TOPIC");
  const deadLetters = new DeadLetterFile(options.deadLetter);
  const sink =
    options.out === undefined ? await kafkaRecordSink(options, context) : await fileSink(options.out);
  const delivered: DeliveryCounts = { written: 0, unwritten: 0, failedWrites: 0 };
  const ingest = new TraceIngest(
    {
      graceMs: options.grace * 1000,
      idleMs: options.idle * 1000,
      maxTraces: options.maxTraces,
      maxSpans: options.maxSpans,
      now: Date.now,
    },
    "collect",
  );
  const receiver = await startOtlpReceiver({
    host: options.host,
    port: options.port,
    maxBodyBytes: options.maxBody,
    ingest,
    tickMs: Math.min(1_000, Math.max(50, options.grace * 250)),
    onOutput: (items) => deliver(items, sink, deadLetters, delivered, (line) => context.stderr(`${line}\n`)),
    onOutputError: (error) =>
      context.stderr(
        `collect: records not written: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
  });
  context.stderr(`collect: OTLP/HTTP on ${receiver.url} (POST /v1/traces, /v1/logs) → ${sink.name}\n`);
  const shutdown = shutdownSignal((name) =>
    context.stderr(`collect: ${name}, writing the traces held and stopping\n`),
  );
  await new Promise<void>((resolve) =>
    shutdown.signal.addEventListener("abort", () => resolve(), { once: true }),
  );
  await receiver.close();
  await sink.close().catch(() => {});
  await deadLetters.close();
  shutdown.dispose();
  const { counts } = receiver;
  const unwritten =
    delivered.unwritten === 0
      ? ""
      : `, ${delivered.unwritten} records not written to ${sink.name} (${delivered.failedWrites} failed writes; in the dead letters)`;
  context.stderr(
    `collect: ${counts.requests} requests, ${counts.spans} spans, ${counts.logs} log records, ${delivered.written} records written${unwritten}, ${deadLetters.count} dead letters${deadLetters.count > 0 ? ` in ${deadLetters.path}` : ""}, ${counts.rejected} spans rejected, ${counts.malformed} malformed requests\n`,
  );
  return EXIT.ok;
}

/**
 * The topic is checked before collect listens: a missing topic (shadowdiff never creates one) or
 * unreachable brokers at start-up are located errors and collect does not start, since nothing it
 * received could be written. Once running, a refused write is reported and dead-lettered (deliver).
 */
async function kafkaRecordSink(
  options: Parameters<typeof kafkaClient>[0] & { readonly topic: string | undefined },
  context: CliContext,
): Promise<RecordSink> {
  const topic = options.topic as string;
  const brokers = options.brokers.split(",");
  await requireTopics(kafkaClient(options, context.env, { retries: 2 }), brokers, [
    { name: topic, role: "--topic" },
  ]);
  const producer = kafkaClient(options, context.env).producer({ allowAutoTopicCreation: false });
  try {
    await producer.connect();
  } catch (cause) {
    throw new ShadowdiffError("SOURCE_UNAVAILABLE", `collect: cannot reach Kafka at ${options.brokers}`, {
      cause,
      retriable: true,
      context: { source: options.brokers },
    });
  }
  return kafkaSink(producer, topic);
}
