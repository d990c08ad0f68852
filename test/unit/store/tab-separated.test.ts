import { describe, expect, it } from "vitest";
import { columnsOf, concatEncoded, encodeLine, encodeRows } from "../../../src/store/tab-separated.js";

const text = (rows: readonly object[]): string =>
  Buffer.concat(encodeRows(rows).chunks as Buffer[]).toString("utf8");

describe("TabSeparated encoding", () => {
  it("writes one line per row, fields in column order, separated by tabs", () => {
    const rows = [
      { id: "a", n: 1, f: 0.25, ok: true, tags: ["x", "y"], counts: [1, 2] },
      { id: "b", n: 2, f: 1e-7, ok: false, tags: [], counts: [] },
    ];
    expect(text(rows)).toBe("a\t1\t0.25\t1\t['x','y']\t[1,2]\nb\t2\t1e-7\t0\t[]\t[]\n");
  });

  it("escapes what would end a field or a row, and quotes inside array items", () => {
    const rows = [{ text: "a\tb\nc\rd\\e'f", items: ["it's", "back\\slash", "tab\there"] }];
    expect(text(rows)).toBe("a\\tb\\nc\\rd\\\\e'f\t['it\\'s','back\\\\slash','tab\\there']\n");
  });

  it("leaves JSON text as it is but for its backslashes", () => {
    const plain = JSON.stringify({ message: "say hi", nested: { list: [1, 2] } });
    expect(text([{ raw: plain }])).toBe(`${plain}\n`);
    const escaped = JSON.stringify({ message: 'say "hi"\n' });
    expect(text([{ raw: escaped }])).toBe('{"message":"say \\\\"hi\\\\"\\\\n"}\n');
  });

  it("takes the columns it is given, in that order, whatever the key order of a row", () => {
    expect(encodeLine({ b: 2, a: 1 }, ["a", "b"])).toBe("1\t2\n");
  });

  it("names the column of a value it cannot store", () => {
    expect(() => encodeRows([{ id: "a", cost: Number.NaN }])).toThrow("column cost: cannot store NaN");
    expect(() => encodeRows([{ id: null }])).toThrow("column id: cannot store null");
    expect(() => encodeRows([{ nested: { a: 1 } }])).toThrow("column nested: cannot store object");
  });

  it("has no columns and no text for no rows", () => {
    expect(columnsOf([])).toEqual([]);
    expect(encodeRows([])).toEqual({ columns: [], rows: 0, bytes: 0, chunks: [] });
  });

  it("counts bytes, not characters, and grows past its first buffer", () => {
    const rows = Array.from({ length: 40 }, (_, index) => ({ id: index, text: "é".repeat(2_000) }));
    const encoded = encodeRows(rows);
    expect(encoded.rows).toBe(40);
    expect(encoded.bytes).toBe(Buffer.byteLength(text(rows)));
    expect(encoded.bytes).toBeGreaterThan(64 * 1024);
    expect(text(rows).split("\n")[39]).toBe(`39\t${"é".repeat(2_000)}`);
  });

  it("joins encodings of one table and refuses different column lists", () => {
    const first = encodeRows([{ a: 1, b: "x" }]);
    const second = encodeRows([{ a: 2, b: "y" }]);
    const joined = concatEncoded([first, encodeRows([]), second]);
    expect(joined.rows).toBe(2);
    expect(Buffer.concat(joined.chunks as Buffer[]).toString()).toBe("1\tx\n2\ty\n");
    expect(() => concatEncoded([first, encodeRows([{ b: "z", a: 3 }])])).toThrow("different columns");
  });
});
