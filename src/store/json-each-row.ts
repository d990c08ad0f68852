/** Rows of a JSONEachRow response: one JSON object per line. */
export function parseJsonEachRow<Row>(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split("\n")) if (line.length > 0) rows.push(JSON.parse(line) as Row);
  return rows;
}
