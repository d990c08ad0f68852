import type { NumericTolerance } from "../contracts/rules.js";
import { isSubsetOf, valuesEqual } from "./equality.js";
import { alignLists, IDENTITY_KEYS, replacedKey } from "./list-alignment.js";
import { ARRAY_ITEM, collapseKey, pathSuffix } from "./paths.js";
import { previewOne, previewPair } from "./preview.js";

export { isSubsetOf, numbersClose, valuesEqual } from "./equality.js";

/**
 * `replaced`: a list item paired with one of another kind (its `name` or `type` differs; see
 * list-alignment.ts), explained by that alone. `reordered`: a list whose items are all there, in
 * another order.
 */
export type DifferenceKind = "missing" | "added" | "changed" | "replaced" | "reordered";

export interface ValueDifference {
  /** Collapsed path segments below the compared root. */
  readonly segments: readonly string[];
  /** Literal path segments of the first occurrence, for the human reason. */
  readonly literal: readonly string[];
  readonly kind: DifferenceKind;
  readonly baseline?: unknown;
  readonly candidate?: unknown;
}

/**
 * One-sided differences a comparison allows: an argument mode of `subset` lets the candidate leave
 * object fields out (`missing`), `superset` lets it add some (`added`). Lists are compared whole in
 * both modes (as `isSubsetOf` does), so nothing is allowed inside a list.
 */
export type AllowedDifference = "none" | "missing" | "added";

/** Enough differences to explain a pair; beyond this a pair is "very different" and more adds nothing. */
export const MAX_DIFFERENCES = 16;

/** The differences between two canonical values, at most MAX_DIFFERENCES of them. */
export function diffValues(
  baseline: unknown,
  candidate: unknown,
  tolerance: NumericTolerance,
  allowed: AllowedDifference = "none",
): ValueDifference[] {
  const out: ValueDifference[] = [];
  walk(baseline, candidate, [], [], tolerance, allowed, out);
  return out;
}

/** The difference a reason leads with: a replaced item says most about the cause, else the first. */
export function leadingDifference(differences: readonly ValueDifference[]): ValueDifference | undefined {
  return differences.find((difference) => difference.kind === "replaced") ?? differences[0];
}

/** `/outcome/items/[]/sku`, `/outcome/writes:order`: a difference's collapsed path under a prefix. */
export function differencePath(prefix: string, difference: ValueDifference): string {
  const path = `${prefix}${pathSuffix(difference.segments)}`;
  return difference.kind === "reordered" ? `${path}:order` : path;
}

function agrees(a: unknown, b: unknown, tolerance: NumericTolerance, allowed: AllowedDifference): boolean {
  if (allowed === "missing") return isSubsetOf(b, a, tolerance);
  if (allowed === "added") return isSubsetOf(a, b, tolerance);
  return valuesEqual(a, b, tolerance);
}

function walk(
  a: unknown,
  b: unknown,
  segments: string[],
  literal: string[],
  tolerance: NumericTolerance,
  allowed: AllowedDifference,
  out: ValueDifference[],
): void {
  if (out.length >= MAX_DIFFERENCES || agrees(a, b, tolerance, allowed)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of orderedKeys(a, b)) {
      const nextSegments = [...segments, collapseKey(key)];
      const nextLiteral = [...literal, key];
      if (!(key in b)) {
        if (allowed !== "missing")
          push(out, { segments: nextSegments, literal: nextLiteral, kind: "missing", baseline: a[key] });
      } else if (!(key in a)) {
        if (allowed !== "added")
          push(out, { segments: nextSegments, literal: nextLiteral, kind: "added", candidate: b[key] });
      } else walk(a[key], b[key], nextSegments, nextLiteral, tolerance, allowed, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    walkLists(a, b, segments, literal, tolerance, out);
    return;
  }
  push(out, { segments, literal, kind: "changed", baseline: a, candidate: b });
}

function walkLists(
  a: readonly unknown[],
  b: readonly unknown[],
  segments: string[],
  literal: string[],
  tolerance: NumericTolerance,
  out: ValueDifference[],
): void {
  const alignment = alignLists(a, b, tolerance);
  const itemSegments = [...segments, ARRAY_ITEM];
  for (const [baselineIndex, candidateIndex] of alignment.changed) {
    const baselineItem = a[baselineIndex];
    const candidateItem = b[candidateIndex];
    const itemLiteral = [...literal, String(baselineIndex)];
    const key = replacedKey(baselineItem, candidateItem);
    if (key === undefined) {
      walk(baselineItem, candidateItem, itemSegments, itemLiteral, tolerance, "none", out);
      continue;
    }
    // Two items of different kinds: their other fields are not comparable, so the kind is all.
    push(out, {
      segments: [...itemSegments, collapseKey(key)],
      literal: itemLiteral,
      kind: "replaced",
      baseline: (baselineItem as Record<string, unknown>)[key],
      candidate: (candidateItem as Record<string, unknown>)[key],
    });
  }
  for (const index of alignment.missing)
    push(out, {
      segments: itemSegments,
      literal: [...literal, String(index)],
      kind: "missing",
      baseline: a[index],
    });
  for (const index of alignment.added)
    push(out, {
      segments: itemSegments,
      literal: [...literal, String(index)],
      kind: "added",
      candidate: b[index],
    });
  if (alignment.reordered) push(out, { segments, literal, kind: "reordered" });
}

function push(out: ValueDifference[], difference: ValueDifference): void {
  if (out.length < MAX_DIFFERENCES) out.push(difference);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Both objects' keys, sorted, with the keys that say what kind of thing it is first. */
function orderedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const kinds: string[] = [];
  for (const key of IDENTITY_KEYS) if (key in a || key in b) kinds.push(key);
  return kinds.length === 0 ? keys : [...kinds, ...keys.filter((key) => !kinds.includes(key))];
}

/** `arguments.currency missing in candidate`, `amount 42 → 40`: one difference in words. */
export function describeDifference(difference: ValueDifference, prefix: string): string {
  const where = [prefix, ...difference.literal].filter((part) => part !== "").join(".") || "value";
  switch (difference.kind) {
    case "missing":
      return `${where} missing in candidate`;
    case "added":
      return `${where} added in candidate`;
    case "replaced":
      return `${where}: ${previewOne(difference.baseline)} → ${previewOne(difference.candidate)}`;
    case "reordered":
      return `${where}: same items in another order`;
    case "changed": {
      const [baseline, candidate] = previewPair(difference.baseline, difference.candidate);
      return `${where} ${baseline} → ${candidate}`;
    }
  }
}
