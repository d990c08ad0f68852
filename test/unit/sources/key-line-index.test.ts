import { describe, expect, it } from "vitest";
import { KeyLineIndex } from "../../../src/sources/key-line-index.js";

describe("KeyLineIndex", () => {
  it("remembers the first line of each key across growth", () => {
    const index = new KeyLineIndex(16);
    for (let line = 1; line <= 50_000; line++) {
      expect(index.firstLineOrRemember(`req-${line}`, line)).toBeUndefined();
    }
    expect(index.size).toBe(50_000);
    expect(index.firstLineOrRemember("req-1", 60_001)).toBe(1);
    expect(index.firstLineOrRemember("req-49999", 60_002)).toBe(49_999);
    expect(index.firstLineOrRemember("req-50000#1", 60_003)).toBeUndefined();
    expect(index.size).toBe(50_001);
  });

  it("tells apart keys that differ in one character or in order", () => {
    const index = new KeyLineIndex();
    expect(index.firstLineOrRemember("ab", 1)).toBeUndefined();
    expect(index.firstLineOrRemember("ba", 2)).toBeUndefined();
    expect(index.firstLineOrRemember("ab#1", 3)).toBeUndefined();
    expect(index.firstLineOrRemember("", 4)).toBeUndefined();
    expect(index.firstLineOrRemember("ba", 5)).toBe(2);
    expect(index.firstLineOrRemember("", 6)).toBe(4);
  });
});
