import type { NumericTolerance } from "../contracts/rules.js";

export function numbersClose(a: number, b: number, tolerance: NumericTolerance): boolean {
  if (a === b) return true;
  const allowed = Math.max(tolerance.absolute, tolerance.relative * Math.max(Math.abs(a), Math.abs(b)));
  return Math.abs(a - b) <= allowed;
}

const hasTolerance = (tolerance: NumericTolerance) => tolerance.absolute > 0 || tolerance.relative > 0;

/** Structural equality of canonical values, with numeric tolerance. */
export function valuesEqual(a: unknown, b: unknown, tolerance: NumericTolerance): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number")
    return hasTolerance(tolerance) && numbersClose(a, b, tolerance);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => valuesEqual(item, b[index], tolerance));
  }
  const objectA = a as Record<string, unknown>;
  const objectB = b as Record<string, unknown>;
  const keysA = Object.keys(objectA);
  if (keysA.length !== Object.keys(objectB).length) return false;
  return keysA.every((key) => key in objectB && valuesEqual(objectA[key], objectB[key], tolerance));
}

/**
 * True when every field `part` has is in `whole` with an equal value (recursively for objects).
 * Used by the `subset`/`superset` argument modes. Lists are compared whole.
 */
export function isSubsetOf(part: unknown, whole: unknown, tolerance: NumericTolerance): boolean {
  if (part === null || whole === null || typeof part !== "object" || typeof whole !== "object") {
    return valuesEqual(part, whole, tolerance);
  }
  if (Array.isArray(part) || Array.isArray(whole)) return valuesEqual(part, whole, tolerance);
  const wholeObject = whole as Record<string, unknown>;
  return Object.entries(part as Record<string, unknown>).every(
    ([key, value]) => key in wholeObject && isSubsetOf(value, wholeObject[key], tolerance),
  );
}
