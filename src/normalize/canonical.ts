import { applyMasks, type CompiledMask } from "./masks.js";
import { descend, isIgnoredHere, type PointerPattern } from "./pointer.js";

/**
 * The canonical form of a JSON value: object keys sorted, ignored paths removed, masks applied
 * to strings. Two values with the same canonical form compare equal, and its JSON text is the
 * canonical key used for matching and deduplication.
 */
export function canonicalize(
  value: unknown,
  masks: readonly CompiledMask[],
  ignore: readonly PointerPattern[],
): unknown {
  // An ignore path naming the root itself (`/outcome`, `/arguments`) ignores the whole value;
  // below the root a parent decides for each child, so the check is made once, here.
  if (ignore.length > 0 && isIgnoredHere(ignore)) return null;
  return canonicalNode(value, masks, ignore);
}

function canonicalNode(
  value: unknown,
  masks: readonly CompiledMask[],
  ignore: readonly PointerPattern[],
): unknown {
  if (typeof value === "string") return masks.length === 0 ? value : applyMasks(value, masks);
  // `1e999` parses to Infinity, which JSON text (the canonical key) writes as null: keep it apart.
  if (typeof value === "number" && !Number.isFinite(value)) return `${NON_FINITE}${value}`;
  if (value === null || typeof value !== "object") return hasJsonText(value) ? value : null;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      out[index] = canonicalChild(value[index], index, masks, ignore);
    }
    return out;
  }
  const source = value as Record<string, unknown>;
  const keys = sortKeys(Object.keys(source));
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const child = source[key];
    if (!hasJsonText(child)) continue;
    let below = ignore;
    if (ignore.length > 0) {
      below = descend(ignore, key);
      if (isIgnoredHere(below)) continue;
    }
    const canonical = canonicalNode(child, masks, below);
    if (key === PROTO) setOwn(out, key, canonical);
    else out[key] = canonical;
  }
  return out;
}

// On a plain object, `out["__proto__"] = v` sets the prototype and the key vanishes (a candidate
// adding `"__proto__": {...}` compared as identical). That one key is defined as an own property;
// every other key keeps the fast assignment (a null-prototype object, the other way out, puts V8
// in dictionary mode and cost the diff a fifth of its speed).
const PROTO = "__proto__";

/** Marks a non-finite number in the canonical form; a NUL prefix no JSON string of a record starts with by accident. */
const NON_FINITE = "\u0000number:";

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Object keys in code-unit order, as `Array.prototype.sort` orders strings. Tool arguments have a
 * handful of keys, for which an insertion sort with `<` beats the generic builtin several times.
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index] as string;
    let at = index - 1;
    while (at >= 0 && (keys[at] as string) > key) {
      keys[at + 1] = keys[at] as string;
      at--;
    }
    keys[at + 1] = key;
  }
  return keys;
}

function canonicalChild(
  child: unknown,
  index: number,
  masks: readonly CompiledMask[],
  ignore: readonly PointerPattern[],
): unknown {
  if (ignore.length === 0) return canonicalNode(child, masks, ignore);
  const below = descend(ignore, String(index));
  // An ignored array element keeps its slot (as null) so positions of the others do not shift.
  return isIgnoredHere(below) ? null : canonicalNode(child, masks, below);
}

/**
 * A value JSON text can hold. The canonical form keeps only those, the way JSON.stringify writes
 * the rest (a property without text left out, a list item without text as null), so that the
 * canonical form is plain JSON data and `canonicalEqual` can decide on it alone. A parsed record
 * holds nothing else; a bigint has no JSON text and fails here, as JSON.stringify would.
 */
function hasJsonText(value: unknown): boolean {
  switch (typeof value) {
    case "undefined":
    case "function":
    case "symbol":
      return false;
    case "bigint":
      throw new TypeError("Do not know how to serialize a BigInt");
    default:
      return true;
  }
}

/**
 * Whether two canonical forms have the same canonical key, by walking both instead of writing
 * both keys: on the fixture mix the keys of every call's arguments and of the outcome cost a
 * tenth of the diff, and most pairs only ever ask whether they are equal. Canonical forms are
 * plain JSON data with keys in one order, so equal text is equal structure: the same list
 * lengths, the same keys in the same order, the same primitives (0 and -0 both write "0").
 */
export function canonicalEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index++) {
      if (!canonicalEqual(a[index], b[index])) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const objectA = a as Record<string, unknown>;
  const objectB = b as Record<string, unknown>;
  const keysA = Object.keys(objectA);
  const keysB = Object.keys(objectB);
  if (keysA.length !== keysB.length) return false;
  for (let index = 0; index < keysA.length; index++) {
    const key = keysA[index] as string;
    if (key !== keysB[index] || !canonicalEqual(objectA[key], objectB[key])) return false;
  }
  return true;
}

/**
 * JSON text of a value already in canonical form. Keys are sorted by `canonicalize`, so plain
 * `JSON.stringify` is stable here and avoids a second sort on the hot path.
 */
export function canonicalKey(canonical: unknown): string {
  return canonical === undefined ? "null" : JSON.stringify(canonical);
}
