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
}

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
        const bytes = pending ? Buffer.concat([pending, piece]) : piece;
        pending = undefined;
        const text = bytes.toString("utf8");
        if (!isBlank(text)) yield { number, text, offset: lineStart, byteLength: bytes.length };
        start = index + 1;
        lineStart = chunkStart + start;
        index = chunk.indexOf(NEWLINE, start);
      }
      if (start < chunk.length && !skipping) {
        const rest = chunk.subarray(start);
        pending = pending ? Buffer.concat([pending, rest]) : Buffer.from(rest);
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
  if (pending !== undefined && lineStart < end) {
    const text = pending.toString("utf8");
    if (!isBlank(text)) {
      yield { number: number + 1, text, offset: lineStart, byteLength: pending.length, unterminated: true };
    }
  }
}

function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d) return false;
  }
  return true;
}
