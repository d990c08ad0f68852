import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { ExchangeRecord } from "../contracts/exchange.js";
import { pairKey } from "../contracts/exchange.js";
import { parseExchangeLine } from "../contracts/validate-record.js";
import { type ByteRange, readLines } from "./jsonl-lines.js";
import { fingerprint } from "./key-line-index.js";

/** A capture's index as worker threads receive it (`slots` lives in a SharedArrayBuffer). */
export interface SharedCaptureIndex {
  readonly path: string;
  readonly slots: Uint32Array;
  readonly mask: number;
  readonly count: number;
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
  private slots: Uint32Array<ArrayBufferLike> = new Uint32Array(16 * 5);
  private mask = 15;
  private count = 0;
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
    const slots = new Uint32Array(new SharedArrayBuffer(this.slots.byteLength));
    slots.set(this.slots);
    return {
      path: this.path,
      slots,
      mask: this.mask,
      count: this.count,
      releases: [...this.releases],
      invalid: this.invalid,
    };
  }

  static attach(index: SharedCaptureIndex): RecordedCapture {
    const capture = new RecordedCapture(index.path);
    capture.slots = index.slots;
    capture.mask = index.mask;
    capture.count = index.count;
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
    return this.count;
  }

  /** The recorded record for a pair key, or undefined when the capture has none. */
  get(key: string): ExchangeRecord | undefined {
    return this.getWithText(key)?.record;
  }

  /**
   * The record and its line as written. Lines were schema-checked when indexed, so they are only
   * parsed here; a line that no longer parses to the same key (the file changed) reads as absent.
   */
  getWithText(key: string): { record: ExchangeRecord; text: string } | undefined {
    const [high, low] = fingerprint(key);
    for (let slot = (high ^ low) & this.mask; ; slot = (slot + 1) & this.mask) {
      const base = slot * 5;
      const length = this.slots[base + 4] as number;
      if (length === 0) return undefined;
      if (this.slots[base] === high && this.slots[base + 1] === low) {
        const offset = (this.slots[base + 2] as number) + (this.slots[base + 3] as number) * 2 ** 32;
        const buffer = Buffer.alloc(length);
        readSync(this.fd as number, buffer, 0, length, offset);
        const text = buffer.toString("utf8");
        try {
          const record = JSON.parse(text) as ExchangeRecord;
          return pairKey(record) === key ? { record, text } : undefined;
        } catch {
          return undefined;
        }
      }
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private remember(high: number, low: number, offset: number, length: number): void {
    if (length === 0) return;
    let slot = (high ^ low) & this.mask;
    for (; (this.slots[slot * 5 + 4] as number) !== 0; slot = (slot + 1) & this.mask) {
      // A duplicate key keeps its first line, as readCapture does.
      if (this.slots[slot * 5] === high && this.slots[slot * 5 + 1] === low) return;
    }
    this.slots.set([high, low, offset % 2 ** 32, Math.floor(offset / 2 ** 32), length], slot * 5);
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    this.mask = (this.mask + 1) * 2 - 1;
    this.slots = new Uint32Array((this.mask + 1) * 5);
    for (let base = 0; base < old.length; base += 5) {
      if ((old[base + 4] as number) === 0) continue;
      let slot = ((old[base] as number) ^ (old[base + 1] as number)) & this.mask;
      while ((this.slots[slot * 5 + 4] as number) !== 0) slot = (slot + 1) & this.mask;
      this.slots.set(old.subarray(base, base + 5), slot * 5);
    }
  }
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
    const parsed = parseExchangeLine(line.text, { source: path, line: line.number });
    if (!parsed.ok) {
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
