import type { EncodedRows } from "./tab-separated.js";

// The reverse of `encodeRows`, for the few readers that need rows back from an insert already
// encoded (the consumer's judge: recorded candidates are diffed in threads and arrive as bytes).
// It reads only what `encodeRows` writes: bare strings and numbers, and arrays of single-quoted
// strings or numbers, with the escapes \\ \t \n \r and (in arrays) \'.

/** One encoded row, its fields readable by column name. */
export interface EncodedLine {
  /** The field exactly as encoded (no unescaping): cheap, for filters on plain values. */
  encoded(column: string): string;
  /** A string (or number) field, unescaped. */
  text(column: string): string;
  /** An array field's items, unescaped (numbers as their text). */
  list(column: string): string[];
}

/**
 * Rows of an encoding, decoded lazily: `accept` sees each line before any field is unescaped, so
 * rows a reader skips cost one split. Lines never span chunks (`encodeRows` and `concatEncoded`
 * keep lines whole), and no field holds a bare tab or newline (both are escaped).
 */
export function decodeRows<T>(encoded: EncodedRows, read: (line: EncodedLine) => T | undefined): T[] {
  const index = new Map(encoded.columns.map((column, position) => [column, position]));
  const position = (column: string): number => {
    const found = index.get(column);
    if (found === undefined) throw new TypeError(`encoded rows have no column ${column}`);
    return found;
  };
  const rows: T[] = [];
  for (const chunk of encoded.chunks) {
    for (const text of chunk.toString("utf8").split("\n")) {
      if (text === "") continue;
      const fields = text.split("\t");
      const encodedField = (column: string): string => fields[position(column)] ?? "";
      const row = read({
        encoded: encodedField,
        text: (column) => unescapeBare(encodedField(column)),
        list: (column) => decodeArray(encodedField(column)),
      });
      if (row !== undefined) rows.push(row);
    }
  }
  return rows;
}

const UNESCAPES: Readonly<Record<string, string>> = { "\\": "\\", "'": "'", t: "\t", n: "\n", r: "\r" };

function unescapeBare(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(/\\(.)/g, (sequence, char: string) => UNESCAPES[char] ?? sequence);
}

/** `['a','b\'c']` or `[1,2]`: items split at top-level commas, quoted ones unescaped. */
function decodeArray(text: string): string[] {
  const items: string[] = [];
  let at = 1;
  const end = text.length - 1;
  while (at < end) {
    if (text[at] === "'") {
      let item = "";
      at++;
      while (at < end && text[at] !== "'") {
        if (text[at] === "\\") {
          const char = text[at + 1] as string;
          item += UNESCAPES[char] ?? `\\${char}`;
          at += 2;
        } else {
          item += text[at];
          at++;
        }
      }
      items.push(item);
      at++;
    } else {
      const comma = text.indexOf(",", at);
      const stop = comma === -1 || comma > end ? end : comma;
      items.push(text.slice(at, stop));
      at = stop;
    }
    if (text[at] === ",") at++;
  }
  return items;
}
