import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { ExchangeRecord } from "../contracts/exchange.js";
import { pairKey } from "../contracts/exchange.js";
import { parseExchangeLine } from "../contracts/validate-record.js";
import { FingerprintTable, fingerprint, type SharedFingerprintTable } from "./fingerprint-table.js";
import { type ByteRange, readLines } from "./jsonl-lines.js";

/** A recorded record and its line as written. */
export interface RecordedLine {
  readonly record: ExchangeRecord;
  readonly text: string;
}

/** A line to read for the key at `index` of a lookup. */
interface WantedLine {
  readonly index: number;
  readonly offset: number;
  readonly length: number;
}

// Lines this close are read together (the bytes between them are read and skipped)…
const SPAN_GAP_BYTES = 16 * 1024;
// …in spans of at most this much.
const SPAN_MAX_BYTES = 8 << 20;

/** A capture's index as worker threads receive it (the table's words live in a SharedArrayBuffer). */
export interface SharedCaptureIndex {
  readonly path: string;
  readonly table: SharedFingerprintTable;
  readonly releases: readonly string[];
  readonly invalid: number;
}

/**
 * A recorded candidate capture, looked up by pair key while baseline records stream in (from
 * Kafka, in any order). Only an index stays in memory: per record a 64-bit fingerprint of its key
 * and where its line is in the file (20 bytes), not the record, so a million recorded candidates
 * cost ~40 MB instead of ~2 GB. Lines are read back on demand.
 */
export class RecordedCapture {
  /** Per key: its fingerprint, then the line's byte offset (low and high word) and length. */
  private table = new FingerprintTable(5);
  private fd: number | undefined;
  invalid = 0;
  /** Release ids of the recorded records (normally one: the candidate's). */
  readonly releases = new Set<string>();

  private constructor(readonly path: string) {}

  /**
   * Indexes a capture file. `indexParts` may index parts of the file elsewhere (the consumer's
   * diff threads, side by side); parts are merged in file order, so a duplicate key keeps its
   * first line either way.
   */
  static async open(
    path: string,
    indexParts?: {
      readonly parts: number;
      readonly index: (ranges: readonly ByteRange[]) => Promise<IndexedPart[]>;
    },
  ): Promise<RecordedCapture> {
    const capture = new RecordedCapture(path);
    const parts =
      indexParts === undefined || indexParts.parts < 2
        ? [await indexPart(path)]
        : await indexParts.index(splitFile(statSync(path).size, indexParts.parts));
    for (const part of parts) {
      for (let index = 0; index < part.count; index++) {
        capture.remember(
          part.high[index] as number,
          part.low[index] as number,
          part.offsets[index] as number,
          part.lengths[index] as number,
        );
      }
      for (const release of part.releases) capture.releases.add(release);
      capture.invalid += part.invalid;
    }
    capture.fd = openSync(path, "r");
    return capture;
  }

  /**
   * The index in shared memory, for worker threads: each attaches to it (no second pass over the
   * file, no copy of the table) and reads lines through its own file descriptor.
   */
  share(): SharedCaptureIndex {
    return {
      path: this.path,
      table: this.table.shared(),
      releases: [...this.releases],
      invalid: this.invalid,
    };
  }

  static attach(index: SharedCaptureIndex): RecordedCapture {
    const capture = new RecordedCapture(index.path);
    capture.table = FingerprintTable.attach(index.table);
    capture.invalid = index.invalid;
    for (const release of index.releases) capture.releases.add(release);
    capture.fd = openSync(index.path, "r");
    return capture;
  }

  /** The candidate release the capture records (its first record's). */
  get release(): string | undefined {
    return this.releases.values().next().value;
  }

  get size(): number {
    return this.table.size;
  }

  /** The recorded record for a pair key, or undefined when the capture has none. */
  get(key: string): ExchangeRecord | undefined {
    return this.readAhead([key]).get(0)?.record;
  }

  /**
   * Reads the lines of many keys at once; `get(i)` then parses the line of `keys[i]`. Lines are
   * read in file order, and lines close together in one read: a recorded run is usually in the
   * order of the traffic it shadowed, so a batch's candidates sit near each other, and one read of
   * a span costs far less than a read per line (a system call each). Parsing waits for `get`, so
   * a batch's records are not all alive at once (they would outlive the young generation).
   */
  readAhead(keys: readonly string[]): ReadAhead {
    const wanted: WantedLine[] = [];
    keys.forEach((key, index) => {
      const place = this.locate(key);
      if (place !== undefined) wanted.push({ index, ...place });
    });
    wanted.sort((a, b) => a.offset - b.offset);
    const lines: (LineInSpan | undefined)[] = new Array(keys.length).fill(undefined);
    for (let first = 0; first < wanted.length; ) {
      // Extend the span while the next line starts close enough after the previous one's end.
      const head = wanted[first] as WantedLine;
      const start = head.offset;
      let end = start + head.length;
      let last = first + 1;
      for (; last < wanted.length; last++) {
        const next = wanted[last] as WantedLine;
        if (next.offset - end > SPAN_GAP_BYTES || next.offset + next.length - start > SPAN_MAX_BYTES) break;
        end = Math.max(end, next.offset + next.length);
      }
      const span = Buffer.allocUnsafe(end - start);
      const read = readSync(this.fd as number, span, 0, span.length, start);
      for (let at = first; at < last; at++) {
        const { index, offset, length } = wanted[at] as WantedLine;
        // A short read: the file shrank since it was indexed, and the line reads as absent.
        if (offset - start + length <= read) lines[index] = { span, start: offset - start, length };
      }
      first = last;
    }
    return new ReadAhead(keys, lines);
  }

  /** Where the line of `key` is in the file, if the index has one. */
  private locate(key: string): { offset: number; length: number } | undefined {
    const [high, low] = fingerprint(key);
    const found = this.table.probe(high, low);
    if (found < 0) return undefined;
    const offset = this.table.payload(found, 0) + this.table.payload(found, 1) * 2 ** 32;
    return { offset, length: this.table.payload(found, 2) };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private remember(high: number, low: number, offset: number, length: number): void {
    if (length === 0) return;
    const found = this.table.probe(high, low);
    // A duplicate key keeps its first line, as readCapture does.
    if (found >= 0) return;
    this.table.claim(found, high, low, offset % 2 ** 32, Math.floor(offset / 2 ** 32), length);
  }
}

/** Lines read ahead for a lookup of many keys (RecordedCapture.readAhead). */
export class ReadAhead {
  constructor(
    private readonly keys: readonly string[],
    private readonly lines: readonly (LineInSpan | undefined)[],
  ) {}

  /**
   * The record of `keys[index]` and its line as written: undefined when absent, or when its line
   * no longer parses to that key (the file changed). Lines were schema-checked when indexed, so
   * they are only parsed here.
   */
  get(index: number): RecordedLine | undefined {
    const line = this.lines[index];
    if (line === undefined) return undefined;
    const text = line.span.toString("utf8", line.start, line.start + line.length);
    try {
      const record = JSON.parse(text) as ExchangeRecord;
      return pairKey(record) === this.keys[index] ? { record, text } : undefined;
    } catch {
      return undefined;
    }
  }
}

interface LineInSpan {
  readonly span: Buffer;
  readonly start: number;
  readonly length: number;
}

/** The valid records of one part of a capture file, as the index needs them: key fingerprint and line. */
export interface IndexedPart {
  readonly count: number;
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  readonly offsets: Float64Array;
  readonly lengths: Uint32Array;
  readonly releases: readonly string[];
  readonly invalid: number;
}

/** Reads and validates the lines of `range` (the whole file without one) and fingerprints their keys. */
export async function indexPart(path: string, range?: ByteRange): Promise<IndexedPart> {
  let capacity = 1 << 12;
  let high = new Uint32Array(capacity);
  let low = new Uint32Array(capacity);
  let offsets = new Float64Array(capacity);
  let lengths = new Uint32Array(capacity);
  let count = 0;
  let invalid = 0;
  const releases = new Set<string>();
  for await (const line of readLines(path, range)) {
    const parsed =
      line.problem === undefined
        ? parseExchangeLine(line.text, { source: path, line: line.number })
        : undefined;
    if (parsed === undefined || !parsed.ok) {
      invalid++;
      continue;
    }
    if (count === capacity) {
      capacity *= 2;
      high = grown(high, new Uint32Array(capacity));
      low = grown(low, new Uint32Array(capacity));
      offsets = grown(offsets, new Float64Array(capacity));
      lengths = grown(lengths, new Uint32Array(capacity));
    }
    const [first, second] = fingerprint(pairKey(parsed.record));
    high[count] = first;
    low[count] = second;
    offsets[count] = line.offset;
    lengths[count] = line.byteLength;
    count++;
    releases.add(parsed.record.release.id);
  }
  return { count, high, low, offsets, lengths, releases: [...releases], invalid };
}

function grown<T extends Uint32Array | Float64Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

/** `parts` byte ranges of about equal size covering a file of `size` bytes. */
export function splitFile(size: number, parts: number): ByteRange[] {
  const step = Math.ceil(size / parts);
  return Array.from({ length: parts }, (_, index) => ({
    start: Math.min(size, index * step),
    end: Math.min(size, (index + 1) * step),
  }));
}
