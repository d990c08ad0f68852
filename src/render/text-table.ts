/** Plain aligned text tables for the terminal; numbers right-aligned, no colours (pipes stay clean). */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const numeric = header.map(
    (_, column) => rows.length > 0 && rows.every((row) => /^[-+]?[\d.,%x ]*$/.test(row[column] ?? "")),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export function percent(rate: number, digits = 1): string {
  return Number.isFinite(rate) ? `${(rate * 100).toFixed(digits)}%` : "n/a";
}

/** A difference of rates in percentage points, signed: `+1.2 pt`, `-0.5 pt`. */
export function signedPoints(delta: number): string {
  return `${delta >= 0 ? "+" : ""}${(delta * 100).toFixed(1)} pt`;
}
