import { FingerprintTable, fnv1a, murmurMix } from "./fingerprint-table.js";

/**
 * Remembers which line each record key was first seen on, in about 24 bytes a key (a fingerprint
 * table slot: two hash words and the line) instead of the ~100 a `Map<string, number>` costs;
 * this is what keeps duplicate detection inside the memory budget on captures of millions of
 * records. A reported duplicate is, in practice, a real one (see FingerprintTable).
 */
export class KeyLineIndex {
  private readonly table: FingerprintTable;

  constructor(initialCapacity = 1 << 12) {
    this.table = new FingerprintTable(3, initialCapacity);
  }

  get size(): number {
    return this.table.size;
  }

  /** The line `key` was first recorded at, or records it at `line` (≥ 1) and returns undefined. */
  firstLineOrRemember(key: string, line: number): number | undefined {
    const high = fnv1a(key);
    const low = murmurMix(key);
    const found = this.table.probe(high, low);
    if (found >= 0) return this.table.payload(found, 0);
    this.table.claim(found, high, low, line);
    return undefined;
  }
}
