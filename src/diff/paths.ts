import { escapePointerSegment } from "../normalize/pointer.js";

/**
 * Differing paths are reported with array indices and map-like keys collapsed (Diffy's trick):
 * `/outcome/items/3/sku` and `/outcome/items/7/sku` are one path, `/outcome/items/[]/sku`, so the
 * number of distinct paths stays bounded however large the data, and counting them in SQL or
 * against an A/A floor stays meaningful.
 */
export const ARRAY_ITEM = "[]";
export const MAP_KEY = "*";

// Keys that are data rather than schema: numbers, long hex/ids, e-mail addresses, mask tokens.
const MAP_LIKE_KEY = /^(?:\d+|[0-9a-f]{8,}|[^@\s]+@[^@\s]+|<[a-z_]+>|[A-Za-z]{0,6}[-_]?\d{3,}[\w-]*)$/i;

export function collapseKey(key: string): string {
  return MAP_LIKE_KEY.test(key) ? MAP_KEY : escapePointerSegment(key);
}

export function joinPath(segments: readonly string[]): string {
  return segments.length === 0 ? "/" : `/${segments.join("/")}`;
}

/** `/arguments/address/city` → `arguments.address.city`, for one-line reasons. */
export function dottedPath(segments: readonly string[]): string {
  return segments.join(".");
}

/** `/a/b` for segments [a, b]; empty for the root, so it can follow a prefix. */
export function pathSuffix(segments: readonly string[]): string {
  return segments.length === 0 ? "" : `/${segments.join("/")}`;
}
