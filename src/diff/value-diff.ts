import type { NumericTolerance } from "../contracts/rules.js";
import { ARRAY_ITEM, collapseKey } from "./paths.js";

export type DifferenceKind = "missing" | "added" | "changed";

export interface ValueDifference {
  /** Collapsed path segments below the compared root. */
  readonly segments: readonly string[];
  /** Literal path segments of the first occurrence, for the human reason. */
  readonly literal: readonly string[];
  readonly kind: DifferenceKind;
  readonly baseline?: unknown;
  readonly candidate?: unknown;
}

/** Enough differences to explain a pair; beyond this a pair is "very different" and more adds nothing. */
export const MAX_DIFFERENCES = 16;

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
 * Used by the `subset`/`superset` argument modes.
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

/** The differences between two canonical values, at most MAX_DIFFERENCES of them. */
export function diffValues(
  baseline: unknown,
  candidate: unknown,
  tolerance: NumericTolerance,
): ValueDifference[] {
  const out: ValueDifference[] = [];
  walk(baseline, candidate, [], [], tolerance, out);
  return out;
}

function walk(
  a: unknown,
  b: unknown,
  segments: string[],
  literal: string[],
  tolerance: NumericTolerance,
  out: ValueDifference[],
): void {
  if (out.length >= MAX_DIFFERENCES || valuesEqual(a, b, tolerance)) return;
  const bothObjects = isPlainObject(a) && isPlainObject(b);
  if (bothObjects) {
    const objectA = a as Record<string, unknown>;
    const objectB = b as Record<string, unknown>;
    for (const key of unionKeys(objectA, objectB)) {
      const nextSegments = [...segments, collapseKey(key)];
      const nextLiteral = [...literal, key];
      if (!(key in objectB))
        push(out, { segments: nextSegments, literal: nextLiteral, kind: "missing", baseline: objectA[key] });
      else if (!(key in objectA))
        push(out, { segments: nextSegments, literal: nextLiteral, kind: "added", candidate: objectB[key] });
      else walk(objectA[key], objectB[key], nextSegments, nextLiteral, tolerance, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const shared = Math.min(a.length, b.length);
    const itemSegments = [...segments, ARRAY_ITEM];
    for (let index = 0; index < shared; index++)
      walk(a[index], b[index], itemSegments, [...literal, String(index)], tolerance, out);
    for (let index = shared; index < a.length; index++) {
      push(out, {
        segments: itemSegments,
        literal: [...literal, String(index)],
        kind: "missing",
        baseline: a[index],
      });
    }
    for (let index = shared; index < b.length; index++) {
      push(out, {
        segments: itemSegments,
        literal: [...literal, String(index)],
        kind: "added",
        candidate: b[index],
      });
    }
    return;
  }
  push(out, { segments, literal, kind: "changed", baseline: a, candidate: b });
}

function push(out: ValueDifference[], difference: ValueDifference): void {
  if (out.length < MAX_DIFFERENCES) out.push(difference);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].sort();
}

/** `arguments.currency missing in candidate`, `amount 42 → 40`: one difference in words. */
export function describeDifference(difference: ValueDifference, prefix: string): string {
  const where = [prefix, ...difference.literal].filter((part) => part !== "").join(".") || "value";
  if (difference.kind === "missing") return `${where} missing in candidate`;
  if (difference.kind === "added") return `${where} added in candidate`;
  return `${where} ${preview(difference.baseline)} → ${preview(difference.candidate)}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
