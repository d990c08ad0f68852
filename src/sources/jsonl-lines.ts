import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { ShadowdiffError } from "../contracts/errors.js";

export interface Line {
  /** 1-based line number. */
  readonly number: number;
  readonly text: string;
  /** Byte offset of the line's first byte in the file, and the line's length in bytes (no newline). */
  readonly offset: number;
  readonly byteLength: number;
  /** The file ended on this line without a newline: the writer may have stopped mid-record. */
  readonly unterminated?: true;
  /**
   * Why the line cannot be a record before it is parsed: longer than MAX_RECORD_BYTES (its text is
   * then empty: it was never held whole), or bytes that are not UTF-8 (decoding would replace them
   * silently, and an id changed that way pairs with nothing).
   */
  readonly problem?: "too-long" | "not-utf8";
}

/**
 * The largest record a capture line may hold. A line is held whole while it is parsed and
 * diffed, several times over (text, parsed value, canonical forms): a 50 MB line took a run to
 * 984 MB of memory. Longer lines are skipped as they stream past, never held, and reported.
 */
export const MAX_RECORD_BYTES = 8 << 20;

const NEWLINE = 0x0a;

/** Part of a file: the lines whose first byte is in [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Streams the non-blank lines of a file with their numbers. Splits on raw bytes rather than
 * through `readline`, which is several times slower; memory holds one chunk plus one partial
 * line, whatever the file size. A last line without a newline (a truncated write) is still
 * yielded, so the record parser can report it as truncated rather than it vanishing.
 */
export async function* readLines(path: string, range?: ByteRange): AsyncGenerator<Line> {
  // A range owns the lines whose first byte lies in it: it starts one byte early to see whether
  // its first line begins exactly at `start`, skips the partial line before, and reads past
  // `end` to finish its last line.
  const from = range === undefined ? 0 : Math.max(0, range.start - 1);
  const end = range?.end ?? Number.POSITIVE_INFINITY;
  let skipping = range !== undefined && range.start > 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20, start: from });
  let pending: Buffer | undefined;
  let overlong = 0;
  let number = 0;
  let chunkStart = from;
  let lineStart = from;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      let index = chunk.indexOf(NEWLINE, start);
      while (index !== -1) {
        if (skipping) {
          skipping = false;
          start = index + 1;
          lineStart = chunkStart + start;
          index = chunk.indexOf(NEWLINE, start);
          continue;
        }
        if (lineStart >= end) {
          stream.destroy();
          return;
        }
        number++;
        const piece = chunk.subarray(start, index);
        if (overlong > 0 || (pending?.length ?? 0) + piece.length > MAX_RECORD_BYTES) {
          const byteLength = overlong + (pending?.length ?? 0) + piece.length;
          yield { number, text: "", offset: lineStart, byteLength, problem: "too-long" };
          overlong = 0;
        } else {
          const bytes = pending ? Buffer.concat([pending, piece]) : piece;
          const line = toLine(bytes, number, lineStart);
          if (line !== undefined) yield line;
        }
        pending = undefined;
        start = index + 1;
        lineStart = chunkStart + start;
        index = chunk.indexOf(NEWLINE, start);
      }
      if (start < chunk.length && !skipping) {
        const rest = chunk.subarray(start);
        if (overlong > 0 || (pending?.length ?? 0) + rest.length > MAX_RECORD_BYTES) {
          // Past the bound: count the bytes, drop them, and report the line at its newline.
          overlong += (pending?.length ?? 0) + rest.length;
          pending = undefined;
        } else pending = pending ? Buffer.concat([pending, rest]) : Buffer.from(rest);
      }
      chunkStart += chunk.length;
    }
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new ShadowdiffError("FILE_NOT_FOUND", `capture file not found: ${path}`, {
        context: { source: path },
        cause,
      });
    }
    // A read error carries no path (`EISDIR: illegal operation on a directory, read`): name it.
    if (code === "EISDIR" || code === "EACCES" || code === "EPERM") {
      const problem =
        code === "EISDIR"
          ? "is a directory, expected a JSONL capture file"
          : "cannot be read (permission denied)";
      throw new ShadowdiffError("BAD_USAGE", `${path}: ${problem}`, { context: { source: path }, cause });
    }
    throw cause;
  }
  if (overlong > 0 && lineStart < end) {
    yield {
      number: number + 1,
      text: "",
      offset: lineStart,
      byteLength: overlong,
      unterminated: true,
      problem: "too-long",
    };
  } else if (pending !== undefined && lineStart < end) {
    const line = toLine(pending, number + 1, lineStart);
    if (line !== undefined) yield { ...line, unterminated: true };
  }
}

function toLine(bytes: Buffer, number: number, offset: number): Line | undefined {
  const text = bytes.toString("utf8");
  if (isBlank(text)) return undefined;
  return isUtf8(bytes)
    ? { number, text, offset, byteLength: bytes.length }
    : { number, text, offset, byteLength: bytes.length, problem: "not-utf8" };
}

function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d) return false;
  }
  return true;
}

/** The located error for a line with a `problem`, or undefined when it may be parsed. */
export function lineProblem(line: Line, source: string): ShadowdiffError | undefined {
  if (line.problem === undefined) return undefined;
  const context = { source, line: line.number };
  if (line.problem === "too-long") {
    const megabytes = (line.byteLength / (1 << 20)).toFixed(1);
    return new ShadowdiffError(
      "INVALID_RECORD",
      `${source}:${line.number}: ${megabytes} MB line, longer than the ${MAX_RECORD_BYTES >> 20} MB limit for a record (skipped unread)`,
      { context },
    );
  }
  return new ShadowdiffError(
    "INVALID_RECORD",
    `${source}:${line.number}: bytes that are not UTF-8 (a record must be UTF-8 text; decoding would change its id or values)`,
    { context },
  );
}
