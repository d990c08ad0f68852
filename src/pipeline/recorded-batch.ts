import type { ShadowdiffError } from "../contracts/errors.js";
import { type ExchangeRecord, pairKey } from "../contracts/exchange.js";
import type { PairRow, UnpairedRow } from "../contracts/pair-row.js";
import { parseExchangeLine } from "../contracts/validate-record.js";
import type { RecordedCapture } from "../sources/recorded-capture.js";
import { encodeRows } from "../store/tab-separated.js";
import { type PairBuilder, unpairedRow } from "./pair-builder.js";
import type { BatchResult, DeadLetterMessage } from "./write-behind.js";

/** A Kafka message as the diff needs it. */
export interface RawMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
}

/** What a batch of baseline records turned into; pairs are encoded for the store at once. */
export type RecordedBatchOutput = Omit<BatchResult, "offsets">;

/**
 * Diffs a batch of baseline records against recorded candidates: each valid record is paired with
 * every capture's record of the same key (or counted unpaired), each invalid one becomes a
 * dead letter naming its reason and source offset. The same function runs in the consumer's
 * worker threads and, with executed candidates, in the consumer itself (`onRecord` then sees
 * every valid record).
 */
export function diffRecordedBatch(
  topic: string,
  partition: number,
  messages: readonly RawMessage[],
  candidates: readonly RecordedCapture[],
  builder: PairBuilder,
  version: number,
  onRecord?: (record: ExchangeRecord, text: string) => void,
): RecordedBatchOutput {
  const pairs: PairRow[] = [];
  const unpaired: UnpairedRow[] = [];
  const deadLetters: DeadLetterMessage[] = [];
  for (const message of messages) {
    const text = message.value?.toString("utf8") ?? "";
    const parsed = parseExchangeLine(text, {
      source: `kafka:${topic}/${partition}`,
      line: Number(message.offset),
    });
    if (!parsed.ok) {
      deadLetters.push(
        deadLetter(message.key, message.value, parsed.error, topic, partition, message.offset),
      );
      continue;
    }
    const key = pairKey(parsed.record);
    for (const capture of candidates) {
      const candidate = capture.getWithText(key);
      if (candidate !== undefined) {
        pairs.push(
          builder.build(parsed.record, candidate.record, version, {
            baseline: text,
            candidate: candidate.text,
          }),
        );
      } else {
        const release = capture.release ?? `unknown:${capture.path}`;
        unpaired.push(unpairedRow(parsed.record, "baseline", release, version));
      }
    }
    onRecord?.(parsed.record, text);
  }
  return { pairs: encodeRows(pairs), unpaired, deadLetters, releases: builder.newReleases(version) };
}

/** A record that cannot be read, with the reason and where it came from in its headers. */
export function deadLetter(
  key: Buffer | null,
  value: Buffer | null,
  error: ShadowdiffError,
  topic: string,
  partition: number,
  offset: string,
): DeadLetterMessage {
  return {
    key,
    value,
    headers: {
      "shadowdiff-error-code": error.code,
      "shadowdiff-error-reason": error.message,
      "shadowdiff-error-path": error.context.path ?? "",
      "shadowdiff-source-topic": topic,
      "shadowdiff-source-partition": String(partition),
      "shadowdiff-source-offset": offset,
    },
  };
}
