import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Producer } from "kafkajs";
import { deadLetterOf } from "../contracts/dead-letter.js";
import { ShadowdiffError } from "../contracts/errors.js";
import type { DeadLetterFile } from "../pipeline/dead-letter.js";
import type { IngestOutput } from "../sources/otel/trace-ingest.js";

/** One exchange record as it leaves `collect`: its Kafka key, its JSON line and its id. */
export interface RecordLine {
  readonly key: string;
  readonly text: string;
  readonly recordId: string;
}

/** Where `collect` writes its records: a capture file or a Kafka topic. */
export interface RecordSink {
  /** `captures/b.jsonl`, `kafka:exchanges` (for messages). */
  readonly name: string;
  write(lines: readonly RecordLine[]): Promise<void>;
  close(): Promise<void>;
}

export async function fileSink(path: string): Promise<RecordSink> {
  await mkdir(dirname(path), { recursive: true });
  const stream: WriteStream = createWriteStream(path, { flags: "a" });
  return {
    name: path,
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

/** A connected producer's topic; keyed by session, as the exchange contract partitions, so one session stays in order. */
export function kafkaSink(producer: Producer, topic: string): RecordSink {
  return {
    name: `kafka:${topic}`,
    write: async (lines) => {
      await producer.send({ topic, messages: lines.map((line) => ({ key: line.key, value: line.text })) });
    },
    close: () => producer.disconnect(),
  };
}

export interface DeliveryCounts {
  written: number;
  /** Records the sink refused (broker away, topic deleted): in the dead-letter file instead. */
  unwritten: number;
  failedWrites: number;
}

/**
 * Hands one tick's records to the sink and its unusable traces to the dead letters. A write the
 * sink refuses (the broker went away, the topic was deleted, after the producer's own retries)
 * does not stop `collect`, which still answers the exporters: the error is reported, located,
 * and the records go to the dead-letter file with their text, to be replayed from there; the next
 * tick's records try the sink again. Nothing is dropped silently and nothing throws from here.
 */
export async function deliver(
  items: readonly IngestOutput[],
  sink: RecordSink,
  deadLetters: DeadLetterFile,
  counts: DeliveryCounts,
  report: (line: string) => void,
): Promise<void> {
  const lines: RecordLine[] = [];
  for (const item of items) {
    if (item.kind === "record")
      lines.push({
        key: item.record.session ?? item.record.id,
        text: JSON.stringify(item.record),
        recordId: item.record.id,
      });
    else await deadLetters.write(deadLetterOf(item.error, item.text));
  }
  if (lines.length === 0) return;
  try {
    await sink.write(lines);
    counts.written += lines.length;
  } catch (cause) {
    counts.failedWrites++;
    counts.unwritten += lines.length;
    const reason = cause instanceof Error ? cause.message : String(cause);
    report(
      `collect: ${sink.name}: could not write ${lines.length} record${lines.length === 1 ? "" : "s"} (${reason}); they are in the dead letters (${deadLetters.path}) and collect goes on`,
    );
    for (const line of lines) {
      const context = { source: sink.name, recordId: line.recordId };
      const error = new ShadowdiffError(
        "SOURCE_UNAVAILABLE",
        `${sink.name} (id ${line.recordId}): not written: ${reason}`,
        {
          context,
          retriable: true,
          cause,
        },
      );
      await deadLetters.write(deadLetterOf(error, line.text));
    }
  }
}
