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

/**
 * A value already in canonical form is its own canonical form: a parsed object whose keys are
 * in order, with nothing masked, ignored or non-finite below it, is returned as it is rather
 * than copied (most tool arguments and outcomes; the copies were a fifth of normalizing). A copy
 * is started at the first key or item that differs, from the part before it.
 */
function canonicalNode(
  value: unknown,
  masks: readonly CompiledMask[],
  ignore: readonly PointerPattern[],
): unknown {
  if (typeof value === "string") return masks.length === 0 ? value : applyMasks(value, masks);
  // `1e999` parses to Infinity, which JSON text (the canonical key) writes as null: keep it apart.
  if (typeof value === "number" && !Number.isFinite(value)) return `${NON_FINITE}${value}`;
  if (value === null || typeof value !== "object") return hasJsonText(value) ? value : null;
  if (Array.isArray(value)) return canonicalArray(value, masks, ignore);
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  // Only a plain object may stand for itself: anything else (a Date, a class instance from an
  // in-process caller) is copied to the plain object of its own keys, as it always was.
  let out: Record<string, unknown> | undefined =
    sortKeys(keys) || Object.getPrototypeOf(source) !== Object.prototype ? {} : undefined;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const child = source[key];
    let below = ignore;
    if (ignore.length > 0) below = descend(ignore, key);
    if (!hasJsonText(child) || (ignore.length > 0 && isIgnoredHere(below))) {
      out ??= copyKeys(source, keys, index);
      continue;
    }
    const canonical = canonicalNode(child, masks, below);
    if (out === undefined) {
      if (canonical === child) continue;
      out = copyKeys(source, keys, index);
    }
    if (key === PROTO) setOwn(out, key, canonical);
    else out[key] = canonical;
  }
  return out ?? source;
}

function canonicalArray(
  value: readonly unknown[],
  masks: readonly CompiledMask[],
  ignore: readonly PointerPattern[],
): unknown[] {
  let out = Object.getPrototypeOf(value) !== Array.prototype ? new Array<unknown>(value.length) : undefined;
  for (let index = 0; index < value.length; index++) {
    const child = value[index];
    const canonical = canonicalChild(child, index, masks, ignore);
    if (out === undefined) {
      // A hole reads as undefined and becomes null: a change like any other.
      if (canonical === child && index in value) continue;
      out = value.slice(0, index);
    }
    out[index] = canonical;
  }
  return out ?? (value as unknown[]);
}

/** A new object holding the first `count` of `keys` from `source`, unchanged (already canonical). */
function copyKeys(
  source: Record<string, unknown>,
  keys: readonly string[],
  count: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let index = 0; index < count; index++) {
    const key = keys[index] as string;
    if (key === PROTO) setOwn(out, key, source[key]);
    else out[key] = source[key];
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
 * Sorts object keys in place in code-unit order, as `Array.prototype.sort` orders strings, and
 * tells whether any moved. Tool arguments have a handful of keys, for which an insertion sort
 * with `<` beats the generic builtin several times.
 */
function sortKeys(keys: string[]): boolean {
  let moved = false;
  if (keys.length > 16) {
    for (let index = 1; index < keys.length && !moved; index++)
      moved = (keys[index - 1] as string) > (keys[index] as string);
    if (moved) keys.sort();
    return moved;
  }
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index] as string;
    let at = index - 1;
    while (at >= 0 && (keys[at] as string) > key) {
      keys[at + 1] = keys[at] as string;
      at--;
      moved = true;
    }
    keys[at + 1] = key;
  }
  return moved;
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
