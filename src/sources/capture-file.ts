import { ShadowdiffError } from "../contracts/errors.js";
import type { ExchangeRecord } from "../contracts/exchange.js";
import { pairKey } from "../contracts/exchange.js";
import { parseExchangeLine } from "../contracts/validate-record.js";
import { lineProblem, readLines } from "./jsonl-lines.js";
import { KeyLineIndex } from "./key-line-index.js";

export type CaptureItem =
  | {
      readonly kind: "record";
      readonly record: ExchangeRecord;
      readonly line: number;
      readonly key: string;
      /** The line as written, for stores that keep the raw record. */
      readonly text: string;
    }
  | {
      readonly kind: "invalid";
      readonly error: ShadowdiffError;
      readonly line: number;
      readonly text: string;
    };

/**
 * Exchange records of a JSONL capture, validated, with invalid lines and duplicate ids turned into
 * located errors in the stream instead of exceptions: one bad line must not stop a capture.
 * Duplicate detection remembers every key it has seen, the one cost here that grows with the
 * file, because a duplicate can be any distance apart; a fingerprint table keeps it at about
 * 24 bytes a record (see KeyLineIndex).
 */
export async function* readCapture(path: string): AsyncGenerator<CaptureItem> {
  const seen = new KeyLineIndex();
  for await (const line of readLines(path)) {
    const problem = lineProblem(line, path);
    if (problem !== undefined) {
      yield { kind: "invalid", error: problem, line: line.number, text: line.text };
      continue;
    }
    const parsed = parseExchangeLine(line.text, { source: path, line: line.number });
    if (!parsed.ok) {
      const error =
        line.unterminated && parsed.error.code === "INVALID_JSON"
          ? new ShadowdiffError(
              "INVALID_JSON",
              `${path}:${line.number}: truncated record: the file ends mid-record without a newline`,
              { context: parsed.error.context, cause: parsed.error },
            )
          : parsed.error;
      yield { kind: "invalid", error, line: line.number, text: line.text };
      continue;
    }
    const key = pairKey(parsed.record);
    const firstLine = seen.firstLineOrRemember(key, line.number);
    if (firstLine !== undefined) {
      const message = `${path}:${line.number} (id ${parsed.record.id}): duplicate id, first seen at line ${firstLine}`;
      const error = new ShadowdiffError("DUPLICATE_ID", message, {
        context: { source: path, line: line.number, recordId: parsed.record.id, path: "/id" },
      });
      yield { kind: "invalid", error, line: line.number, text: line.text };
      continue;
    }
    yield { kind: "record", record: parsed.record, line: line.number, key, text: line.text };
  }
}
