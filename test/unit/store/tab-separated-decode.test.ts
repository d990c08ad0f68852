import { describe, expect, it } from "vitest";
import { concatEncoded, encodeRows } from "../../../src/store/tab-separated.js";
import { decodeRows } from "../../../src/store/tab-separated-decode.js";

const tricky = [
  "plain",
  "",
  "a\tb\nc\rd\\e'f",
  "[looks, like, a list]",
  'JSON {"say":"hi\\n","q":"it\'s"}',
  "ünïcødé ✓ 🚀",
  "\\t is not a tab",
];

describe("TabSeparated decoding", () => {
  it("gives back every string and array item encodeRows wrote, across concatenated encodings", () => {
    const rows = tricky.map((value, index) => ({
      id: `r${index}`,
      value,
      n: index * 1.5,
      items: [value, `x,${value}`, "it's"],
      counts: [index, 2],
      empty: [] as string[],
    }));
    const encoded = concatEncoded([encodeRows(rows.slice(0, 3)), encodeRows(rows.slice(3))]);
    const decoded = decodeRows(encoded, (line) => ({
      id: line.text("id"),
      value: line.text("value"),
      n: Number(line.text("n")),
      items: line.list("items"),
      counts: line.list("counts").map(Number),
      empty: line.list("empty"),
    }));
    expect(decoded).toEqual(rows);
  });

  it("skips the rows its reader declines, seeing each field still encoded", () => {
    const encoded = encodeRows([
      { category: "text_only", raw: "a\\b" },
      { category: "identical", raw: "" },
      { category: "outcome_mismatch", raw: "c\td" },
    ]);
    const kept = decodeRows(encoded, (line) =>
      line.encoded("category") === "identical" ? undefined : line.text("raw"),
    );
    expect(kept).toEqual(["a\\b", "c\td"]);
  });

  it("names a column the encoding does not hold", () => {
    expect(() => decodeRows(encodeRows([{ a: 1 }]), (line) => line.text("b"))).toThrow(
      "encoded rows have no column b",
    );
  });
});
