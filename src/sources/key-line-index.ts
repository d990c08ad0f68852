/**
 * Remembers which line each record key was first seen on, in about 24 bytes a key instead of the
 * ~100 a `Map<string, number>` costs: keys are stored as two independent 32-bit hashes (a 64-bit
 * fingerprint) in one open-addressing table. Two different keys share a fingerprint with
 * probability about n²/2⁶⁵ (≈ 3·10⁻⁸ for a million keys), so a reported duplicate is, in
 * practice, a real one; this is what keeps duplicate detection inside the memory budget on
 * captures of millions of records.
 */
export class KeyLineIndex {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 12) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.slots = new Uint32Array(capacity * 3);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The line `key` was first recorded at, or records it at `line` (≥ 1) and returns undefined. */
  firstLineOrRemember(key: string, line: number): number | undefined {
    const high = fnv1a(key);
    const low = murmurMix(key);
    let slot = (high ^ low) & this.mask;
    for (;;) {
      const base = slot * 3;
      const stored = this.slots[base + 2] as number;
      if (stored === 0) break;
      if (this.slots[base] === high && this.slots[base + 1] === low) return stored;
      slot = (slot + 1) & this.mask;
    }
    const base = slot * 3;
    this.slots[base] = high;
    this.slots[base + 1] = low;
    this.slots[base + 2] = line;
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
    return undefined;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Uint32Array(capacity * 3);
    this.mask = capacity - 1;
    for (let base = 0; base < old.length; base += 3) {
      const line = old[base + 2] as number;
      if (line === 0) continue;
      const high = old[base] as number;
      const low = old[base + 1] as number;
      let slot = (high ^ low) & this.mask;
      while ((this.slots[slot * 3 + 2] as number) !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot * 3] = high;
      this.slots[slot * 3 + 1] = low;
      this.slots[slot * 3 + 2] = line;
    }
  }
}

/** The two 32-bit hashes that together act as a key's 64-bit fingerprint. */
export function fingerprint(key: string): [number, number] {
  return [fnv1a(key), murmurMix(key)];
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A second, unrelated 32-bit hash (MurmurHash3-style mixing) so the pair acts as 64 bits. */
function murmurMix(text: string): number {
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
