import { describe, expect, it } from "vitest";
import { FingerprintTable, fingerprint } from "../../../src/sources/fingerprint-table.js";

function insertAll(table: FingerprintTable, keys: readonly string[]): void {
  keys.forEach((key, index) => {
    const [high, low] = fingerprint(key);
    const found = table.probe(high, low);
    if (found < 0) table.claim(found, high, low, index, index * 7, index + 1);
  });
}

describe("FingerprintTable", () => {
  const keys = Array.from({ length: 5_000 }, (_, index) => `req-${index}\u00000`);

  it("finds every key it took, with its payload, through many growths", () => {
    const table = new FingerprintTable(5);
    insertAll(table, keys);
    expect(table.size).toBe(keys.length);
    keys.forEach((key, index) => {
      const [high, low] = fingerprint(key);
      const found = table.probe(high, low);
      expect(found).toBeGreaterThanOrEqual(0);
      expect([table.payload(found, 0), table.payload(found, 1), table.payload(found, 2)]).toEqual([
        index,
        index * 7,
        index + 1,
      ]);
    });
  });

  it("answers an absent key with an empty slot, and a repeat does not add", () => {
    const table = new FingerprintTable(3);
    const [high, low] = fingerprint("only");
    const empty = table.probe(high, low);
    expect(empty).toBeLessThan(0);
    table.claim(empty, high, low, 42);
    expect(table.probe(high, low)).toBe(~empty);
    const [otherHigh, otherLow] = fingerprint("other");
    expect(table.probe(otherHigh, otherLow)).toBeLessThan(0);
    expect(table.size).toBe(1);
  });

  it("tells apart keys whose first hash collides", () => {
    // Same high word, different low word: probed past each other, both kept.
    const table = new FingerprintTable(3);
    table.claim(table.probe(7, 1), 7, 1, 10);
    table.claim(table.probe(7, 2), 7, 2, 20);
    expect(table.payload(table.probe(7, 1), 0)).toBe(10);
    expect(table.payload(table.probe(7, 2), 0)).toBe(20);
    expect(table.probe(7, 3)).toBeLessThan(0);
  });

  it("is read the same through its shared copy", () => {
    const table = new FingerprintTable(5);
    insertAll(table, keys);
    const shared = table.shared();
    expect(shared.words.buffer).toBeInstanceOf(SharedArrayBuffer);
    const attached = FingerprintTable.attach(shared);
    expect(attached.size).toBe(keys.length);
    for (const key of [keys[0], keys[2_500], keys[4_999]] as string[]) {
      const [high, low] = fingerprint(key);
      expect(attached.payload(attached.probe(high, low), 2)).toBe(table.payload(table.probe(high, low), 2));
    }
  });
});
