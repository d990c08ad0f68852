import { closeSync, openSync, readSync } from "node:fs";
import type { ExchangeRecord } from "../contracts/exchange.js";
import { pairKey } from "../contracts/exchange.js";
import { parseExchangeLine } from "../contracts/validate-record.js";
import { readLines } from "./jsonl-lines.js";
import { fingerprint } from "./key-line-index.js";

/**
 * A recorded candidate capture, looked up by pair key while baseline records stream in (from
 * Kafka, in any order). Only an index stays in memory: per record a 64-bit fingerprint of its key
 * and where its line is in the file (20 bytes), not the record, so a million recorded candidates
 * cost ~40 MB instead of ~2 GB. Lines are read back on demand.
 */
export class RecordedCapture {
  private slots = new Uint32Array(16 * 5);
  private mask = 15;
  private count = 0;
  private fd: number | undefined;
  invalid = 0;
  /** Release ids of the recorded records (normally one: the candidate's). */
  readonly releases = new Set<string>();

  private constructor(readonly path: string) {}

  static async open(path: string): Promise<RecordedCapture> {
    const capture = new RecordedCapture(path);
    for await (const line of readLines(path)) {
      const parsed = parseExchangeLine(line.text, { source: path, line: line.number });
      if (parsed.ok) {
        capture.remember(pairKey(parsed.record), line.offset, line.byteLength);
        capture.releases.add(parsed.record.release.id);
      } else capture.invalid++;
    }
    capture.fd = openSync(path, "r");
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

  private remember(key: string, offset: number, length: number): void {
    if (length === 0) return;
    const [high, low] = fingerprint(key);
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
