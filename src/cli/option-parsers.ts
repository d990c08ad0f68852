import { parseBudget, parseShare } from "../execute/limits.js";

/**
 * Parsers for option values. Each throws a RangeError saying what it expected; the option table
 * turns that into a usage error naming the flag, env variable or config key it came from, so a
 * bad value stops the command before any work with exit 2 (`Number("abc")` would pass NaN on).
 */
export function wholeNumber(least: number, most = Number.MAX_SAFE_INTEGER): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(value) || value < least || value > most) {
      const range = most === Number.MAX_SAFE_INTEGER ? `≥ ${least}` : `from ${least} to ${most}`;
      throw new RangeError(`expected a whole number ${range}, got '${raw}'`);
    }
    return value;
  };
}

/** A finite number above `bound` (seconds, rates), or at least `bound` when `inclusive`. */
export function numberAbove(bound: number, { inclusive = false } = {}): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value < bound || (!inclusive && value === bound)) {
      throw new RangeError(`expected a number ${inclusive ? "of at least" : "above"} ${bound}, got '${raw}'`);
    }
    return value;
  };
}

/** `5%` or `0.05`, checked now and kept as written (the executor parses it again). */
export function share(raw: string): string {
  parseShare(raw);
  return raw;
}

/** `20usd/h`, checked now and kept as written. */
export function budget(raw: string): string {
  parseBudget(raw);
  return raw;
}

/** A ClickHouse database name shadowdiff can put in SQL unquoted. */
export function plainIdentifier(raw: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw)) {
    throw new RangeError(
      `expected letters, digits and underscores (not starting with a digit), got '${raw}'`,
    );
  }
  return raw;
}
