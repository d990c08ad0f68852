import { setTimeout as delay } from "node:timers/promises";
import type { Kafka } from "kafkajs";
import { readLines } from "../sources/jsonl-lines.js";

export interface ReplayOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly file: string;
  /** Records per second; or `speed`, a multiple of the original pace (gaps between `ts`). */
  readonly rate?: number;
  readonly speed?: number;
  readonly loop?: boolean;
  readonly limit?: number;
  readonly signal: AbortSignal;
  readonly onProgress?: (sent: number) => void;
}

export interface ReplaySummary {
  readonly sent: number;
  readonly seconds: number;
  readonly passes: number;
  readonly unparseable: number;
}

const BATCH = 500;

/**
 * Produces a capture file to a topic, keyed by `session` (else `id`) so a conversation stays on
 * one partition and in order. Lines go out verbatim, valid or not: replaying a capture with bad
 * lines is how the dead-letter path is exercised.
 */
export async function replay(options: ReplayOptions): Promise<ReplaySummary> {
  const producer = options.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  let sent = 0;
  let passes = 0;
  let unparseable = 0;
  let pending: { key: string | null; value: string }[] = [];
  let firstTs: number | undefined;
  let passStart = started;
  const flush = async () => {
    if (pending.length === 0) return;
    await producer.send({ topic: options.topic, acks: -1, messages: pending });
    sent += pending.length;
    pending = [];
    options.onProgress?.(sent);
  };
  try {
    replaying: do {
      passes++;
      // Each pass paces from its own start, so --loop with --speed repeats the original rhythm.
      passStart = Date.now();
      firstTs = undefined;
      for await (const line of readLines(options.file)) {
        if (
          options.signal.aborted ||
          (options.limit !== undefined && sent + pending.length >= options.limit)
        ) {
          break replaying;
        }
        // A line too long to be a record, or not UTF-8, is not worth a broker's while.
        if (line.problem !== undefined) {
          unparseable++;
          continue;
        }
        const fields = keyAndTime(line.text);
        if (fields === undefined) unparseable++;
        await pace(
          options,
          sent + pending.length,
          options.rate === undefined ? passStart : started,
          fields?.ts,
          (ts) => {
            firstTs ??= ts;
            return firstTs;
          },
        );
        pending.push({ key: fields?.key ?? null, value: line.text });
        if (pending.length >= BATCH || options.rate !== undefined || options.speed !== undefined)
          await flush();
      }
    } while (options.loop && !options.signal.aborted);
    await flush();
  } finally {
    await producer.disconnect().catch(() => {});
  }
  return { sent, seconds: (Date.now() - started) / 1000, passes, unparseable };
}

function keyAndTime(text: string): { key: string | null; ts: number | undefined } | undefined {
  try {
    const record = JSON.parse(text) as { session?: unknown; id?: unknown; ts?: unknown };
    const key =
      typeof record.session === "string" ? record.session : typeof record.id === "string" ? record.id : null;
    const ts = typeof record.ts === "string" ? Date.parse(record.ts) : undefined;
    return { key, ts: Number.isNaN(ts) ? undefined : ts };
  } catch {
    return undefined;
  }
}

/** Waits until record number `index` is due: by fixed rate, or by original gaps scaled by speed. */
async function pace(
  options: ReplayOptions,
  index: number,
  started: number,
  ts: number | undefined,
  firstOf: (ts: number) => number,
): Promise<void> {
  let dueAt: number | undefined;
  if (options.rate !== undefined) dueAt = started + (index / options.rate) * 1000;
  else if (options.speed !== undefined && ts !== undefined)
    dueAt = started + (ts - firstOf(ts)) / options.speed;
  const wait = dueAt === undefined ? 0 : dueAt - Date.now();
  if (wait > 0) await delay(wait);
}
