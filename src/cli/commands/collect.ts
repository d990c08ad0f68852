import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import { startOtlpReceiver } from "../../collect/receiver.js";
import { deadLetterOf } from "../../contracts/dead-letter.js";
import { ShadowdiffError } from "../../contracts/errors.js";
import { DeadLetterFile } from "../../pipeline/dead-letter.js";
import type { IngestOutput } from "../../sources/otel/trace-ingest.js";
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
  const sink = options.out === undefined ? await kafkaSink(options, context) : await fileSink(options.out);
  let records = 0;
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
    onOutput: async (items: readonly IngestOutput[]) => {
      const lines: { key: string; text: string }[] = [];
      for (const item of items) {
        if (item.kind === "record")
          lines.push({ key: item.record.session ?? item.record.id, text: JSON.stringify(item.record) });
        else await deadLetters.write(deadLetterOf(item.error, item.text));
      }
      if (lines.length > 0) await sink.write(lines);
      records += lines.length;
    },
  });
  context.stderr(
    `collect: OTLP/HTTP on ${receiver.url} (POST /v1/traces, /v1/logs) → ${options.out ?? `kafka:${options.topic}`}\n`,
  );
  const shutdown = shutdownSignal((name) =>
    context.stderr(`collect: ${name}, writing the traces held and stopping\n`),
  );
  await new Promise<void>((resolve) =>
    shutdown.signal.addEventListener("abort", () => resolve(), { once: true }),
  );
  await receiver.close();
  await sink.close();
  await deadLetters.close();
  shutdown.dispose();
  const { counts } = receiver;
  context.stderr(
    `collect: ${counts.requests} requests, ${counts.spans} spans, ${counts.logs} log records, ${records} records written, ${deadLetters.count} dead letters${deadLetters.count > 0 ? ` in ${deadLetters.path}` : ""}, ${counts.rejected} spans rejected, ${counts.malformed} malformed requests\n`,
  );
  return EXIT.ok;
}

interface RecordSink {
  write(lines: readonly { key: string; text: string }[]): Promise<void>;
  close(): Promise<void>;
}

async function fileSink(path: string): Promise<RecordSink> {
  await mkdir(dirname(path), { recursive: true });
  const stream: WriteStream = createWriteStream(path, { flags: "a" });
  return {
    write: (lines) =>
      new Promise<void>((resolve, reject) =>
        stream.write(lines.map((line) => `${line.text}\n`).join(""), (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    close: () =>
      new Promise<void>((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      ),
  };
}

async function kafkaSink(
  options: Parameters<typeof kafkaClient>[0] & { readonly topic: string | undefined },
  context: CliContext,
): Promise<RecordSink> {
  const topic = options.topic as string;
  const producer = kafkaClient(options, context.env).producer({ allowAutoTopicCreation: false });
  try {
    await producer.connect();
  } catch (cause) {
    throw new ShadowdiffError("SOURCE_UNAVAILABLE", `collect: cannot reach Kafka at ${options.brokers}`, {
      cause,
      retriable: true,
    });
  }
  return {
    // Keyed by session, as the exchange contract partitions, so one session stays in order.
    write: async (lines) => {
      await producer.send({ topic, messages: lines.map((line) => ({ key: line.key, value: line.text })) });
    },
    close: () => producer.disconnect(),
  };
}
