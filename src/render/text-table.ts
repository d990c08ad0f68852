/**
 * Plain aligned text tables for the terminal; numbers right-aligned, no colours (pipes stay
 * clean). With `maxWidth`, the widest text columns are cut (ending in `…`) until the table fits:
 * a long label never widens the table past the terminal.
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { readonly maxWidth?: number } = {},
): string {
  const cells = rows.map((row) => header.map((_, column) => terminalText(row[column] ?? "")));
  const natural = header.map((title, column) =>
    Math.max(width(title), ...cells.map((row) => width(row[column] ?? ""))),
  );
  const numeric = header.map(
    (_, column) => cells.length > 0 && cells.every((row) => /^[-+]?[\d.,%x ]*$/.test(row[column] ?? "")),
  );
  const widths = fitWidths(natural, numeric, header, options.maxWidth ?? Number.POSITIVE_INFINITY);
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => {
        const size = widths[column] ?? 0;
        const text = truncate(cell, size);
        const pad = " ".repeat(Math.max(0, size - width(text)));
        return numeric[column] ? pad + text : text + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((size) => "-".repeat(size))), ...cells.map(line)].join("\n");
}

/**
 * Column widths that fit `maxWidth`: text columns are lowered to a common level (the widest
 * first), never below a few characters or their header's first word; numbers are never cut.
 */
function fitWidths(
  natural: readonly number[],
  numeric: readonly boolean[],
  header: readonly string[],
  maxWidth: number,
): number[] {
  const gaps = 2 * Math.max(0, natural.length - 1);
  const total = (level: number) =>
    gaps + natural.reduce((sum, _size, column) => sum + sizeAt(column, level), 0);
  const floor = (column: number) =>
    Math.min(natural[column] ?? 0, Math.max(6, width(header[column]?.split(" ")[0] ?? "")));
  const sizeAt = (column: number, level: number) => {
    const size = natural[column] ?? 0;
    return numeric[column] ? size : Math.max(floor(column), Math.min(size, level));
  };
  if (total(Number.POSITIVE_INFINITY) <= maxWidth) return [...natural];
  // The highest level at which the table fits (binary search: widths can be a label's length).
  let low = 0;
  let high = Math.max(...natural);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (total(middle) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return natural.map((_, column) => sizeAt(column, low));
}

/**
 * Text as a terminal should get it: control characters (newlines, ESC sequences that recolour or
 * move the cursor) and bidirectional overrides (which reorder what is shown) become spaces.
 */
export function terminalText(text: string): string {
  return withoutControls(
    text,
    (code) => (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069),
  );
}

/** C0 and C1 control characters (and any `also`) replaced by spaces, without a regex of them. */
export function withoutControls(text: string, also: (code: number) => boolean = () => false): string {
  let clean = true;
  for (let index = 0; index < text.length && clean; index++) clean = !isControl(text.charCodeAt(index), also);
  if (clean) return text;
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    out += isControl(code, also) ? " " : text[index];
  }
  return out;
}

function isControl(code: number, also: (code: number) => boolean): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || also(code);
}

/** Characters as shown (code points, so an emoji is one, not two UTF-16 units). */
export function width(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The first `size` characters, the last one `…` when anything was cut. */
export function truncate(text: string, size: number): string {
  if (width(text) <= size) return text;
  return `${[...text].slice(0, Math.max(0, size - 1)).join("")}…`;
}

export function percent(rate: number, digits = 1): string {
  return Number.isFinite(rate) ? `${(rate * 100).toFixed(digits)}%` : "n/a";
}

/** A difference of rates in percentage points, signed: `+1.2 pt`, `-0.5 pt`. */
export function signedPoints(delta: number): string {
  return `${delta >= 0 ? "+" : ""}${(delta * 100).toFixed(1)} pt`;
}
