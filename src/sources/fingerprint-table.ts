/**
 * The one fingerprint hash table: keys stored as two independent 32-bit hashes (a 64-bit
 * fingerprint) in open addressing over one Uint32Array, with a few payload words per slot. About
 * 4 bytes a word instead of the ~100 a `Map<string, …>` entry costs, and a flat array can live in
 * a SharedArrayBuffer that worker threads read without a copy. Two different keys share a
 * fingerprint with probability about n²/2⁶⁵ (≈ 3·10⁻⁸ for a million keys), so a fingerprint
 * match is, in practice, the same key.
 *
 * A slot is `[high, low, ...payload]`; the last payload word is nonzero in every occupied slot
 * (a line number from 1, a line length), which is how an empty slot is told apart. The table
 * grows at half full, so a probe ends after a couple of slots.
 */
export class FingerprintTable {
  private slots: Uint32Array<ArrayBufferLike>;
  private mask: number;
  private count = 0;

  /** `width`: words per slot, the two fingerprint words included (3 to 5). */
  constructor(
    readonly width: number,
    initialCapacity = 16,
  ) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.slots = new Uint32Array(capacity * width);
    this.mask = capacity - 1;
  }

  /** A table over words another thread filled (see `shared`). */
  static attach(shared: SharedFingerprintTable): FingerprintTable {
    const table = new FingerprintTable(shared.width);
    table.slots = shared.words;
    table.mask = shared.mask;
    table.count = shared.count;
    return table;
  }

  /** A copy in shared memory, for worker threads (they attach to it; read-only there). */
  shared(): SharedFingerprintTable {
    const words = new Uint32Array(new SharedArrayBuffer(this.slots.byteLength));
    words.set(this.slots);
    return { width: this.width, words, mask: this.mask, count: this.count };
  }

  get size(): number {
    return this.count;
  }

  /**
   * Where a fingerprint is: ≥ 0 is the first word of the slot holding it; < 0 is `~base` of the
   * empty slot it would go in (hand that to `claim`).
   */
  probe(high: number, low: number): number {
    const width = this.width;
    for (let slot = (high ^ low) & this.mask; ; slot = (slot + 1) & this.mask) {
      const base = slot * width;
      if ((this.slots[base + width - 1] as number) === 0) return ~base;
      if (this.slots[base] === high && this.slots[base + 1] === low) return base;
    }
  }

  /** Payload word `index` (0-based, after the fingerprint) of the slot at `base`. */
  payload(base: number, index: number): number {
    return this.slots[base + 2 + index] as number;
  }

  /**
   * Fills the empty slot `probe` returned (the last payload word given must be nonzero), then
   * grows the table when it is half full. Unused trailing arguments are for narrower slots.
   */
  claim(probe: number, high: number, low: number, first: number, second = 0, third = 0): void {
    const base = ~probe;
    this.slots[base] = high;
    this.slots[base + 1] = low;
    this.slots[base + 2] = first;
    if (this.width > 3) this.slots[base + 3] = second;
    if (this.width > 4) this.slots[base + 4] = third;
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    const width = this.width;
    this.mask = (this.mask + 1) * 2 - 1;
    this.slots = new Uint32Array((this.mask + 1) * width);
    for (let base = 0; base < old.length; base += width) {
      if ((old[base + width - 1] as number) === 0) continue;
      let slot = ((old[base] as number) ^ (old[base + 1] as number)) & this.mask;
      while ((this.slots[slot * width + width - 1] as number) !== 0) slot = (slot + 1) & this.mask;
      this.slots.set(old.subarray(base, base + width), slot * width);
    }
  }
}

/** A table's words in a SharedArrayBuffer, as they cross to worker threads. */
export interface SharedFingerprintTable {
  readonly width: number;
  readonly words: Uint32Array;
  readonly mask: number;
  readonly count: number;
}

/** The two 32-bit hashes that together act as a key's 64-bit fingerprint. */
export function fingerprint(key: string): [number, number] {
  return [fnv1a(key), murmurMix(key)];
}

export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A second, unrelated 32-bit hash (MurmurHash3-style mixing) so the pair acts as 64 bits. */
export function murmurMix(text: string): number {
  let hash = 0x9747b28c ^ text.length;
  for (let index = 0; index < text.length; index++) {
    let k = Math.imul(text.charCodeAt(index), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    hash ^= Math.imul(k, 0x1b873593);
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
