/**
 * SQL literals for values that reach a query. The Debian server (ClickHouse 18.16) predates
 * query parameters, so values are inlined; every one goes through these functions, which escape
 * backslashes and quotes, the only characters that can end a ClickHouse string literal.
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

export function sqlStrings(values: readonly string[]): string {
  return `[${values.map(sqlString).join(", ")}]`;
}

export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

/** Identifiers (database, table) are checked, not escaped: only plain names are accepted. */
export function sqlIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
}

/** `('a', 'b')`: the form `x IN (…)` takes on ClickHouse 18.16, which rejects an array there. */
export function sqlTuple(values: readonly string[]): string {
  if (values.length === 0) throw new Error("IN () with no values");
  return `(${values.map(sqlString).join(", ")})`;
}
