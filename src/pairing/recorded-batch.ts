import { deadLetterHeaders } from "../contracts/dead-letter.js";
import type { ShadowdiffError } from "../contracts/errors.js";
import { type ExchangeRecord, pairKey } from "../contracts/exchange.js";
import type { PairRow, UnpairedRow } from "../contracts/pair-row.js";
import { parseExchangeLine } from "../contracts/validate-record.js";
import type { RecordedCapture } from "../sources/recorded-capture.js";
import { concatEncoded, type EncodedRows, encodeRows } from "../store/tab-separated.js";
import type { BatchOutput, DeadLetterMessage } from "./batch-output.js";
import { type PairBuilder, unpairedRow } from "./pair-builder.js";

/** A Kafka message as the diff needs it. */
export interface RawMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
}

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
): BatchOutput {
  const encoded: EncodedRows[] = [];
  const unpaired: UnpairedRow[] = [];
  const deadLetters: DeadLetterMessage[] = [];
  // In slices: a slice's records and rows die young, where a whole batch's would outlive the
  // young generation and be copied into the old one.
  for (let first = 0; first < messages.length; first += SLICE) {
    const valid: ParsedMessage[] = [];
    for (const message of messages.slice(first, first + SLICE)) {
      const parsed = parseMessage(message, topic, partition);
      if ("record" in parsed) valid.push(parsed);
      else deadLetters.push(parsed);
    }
    // Looked up together: the capture reads neighbouring lines in one go.
    const keys = valid.map(({ record }) => pairKey(record));
    const found = candidates.map((capture) => capture.readAhead(keys));
    const pairs: PairRow[] = [];
    valid.forEach(({ record, text }, index) => {
      candidates.forEach((capture, which) => {
        const candidate = found[which]?.get(index);
        if (candidate !== undefined) {
          pairs.push(
            builder.build(record, candidate.record, version, { baseline: text, candidate: candidate.text }),
          );
        } else {
          const release = capture.release ?? `unknown:${capture.path}`;
          unpaired.push(unpairedRow(record, "baseline", release, version));
        }
      });
      onRecord?.(record, text);
    });
    encoded.push(encodeRows(pairs));
  }
  return {
    pairs: concatEncoded(encoded),
    unpaired,
    deadLetters,
    releases: builder.newReleases(version),
  };
}

/** Records handled together: enough for neighbouring candidate lines to share a read. */
const SLICE = 64;

/** A message's record and its text as received. */
export interface ParsedMessage {
  readonly record: ExchangeRecord;
  readonly text: string;
}

/** A message's record, or the dead letter that says why it has none and where it came from. */
export function parseMessage(
  message: RawMessage,
  topic: string,
  partition: number,
): ParsedMessage | DeadLetterMessage {
  const text = message.value?.toString("utf8") ?? "";
  const parsed = parseExchangeLine(text, {
    source: `kafka:${topic}/${partition}`,
    line: Number(message.offset),
  });
  return parsed.ok
    ? { record: parsed.record, text }
    : deadLetter(message.key, message.value, parsed.error, topic, partition, message.offset);
}

/** A record that cannot be read, with the reason and where it came from in its headers. */
function deadLetter(
  key: Buffer | null,
  value: Buffer | null,
  error: ShadowdiffError,
  topic: string,
  partition: number,
  offset: string,
): DeadLetterMessage {
  return { key, value, headers: deadLetterHeaders(error, { topic, partition, offset }) };
}
