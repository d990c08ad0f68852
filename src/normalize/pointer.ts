/**
 * JSON-pointer patterns (`/outcome/items/*\/sku`) matched while a value is walked. A pattern is
 * kept as its segments; walking down one key advances every pattern that accepts that key, so
 * the cost of ignore paths is paid only along the branches they can still reach.
 */
export type PointerPattern = readonly string[];

export function parsePointer(pointer: string): PointerPattern {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Patterns still live below `key`, each advanced by one segment. */
export function descend(patterns: readonly PointerPattern[], key: string): PointerPattern[] {
  const next: PointerPattern[] = [];
  for (const pattern of patterns) {
    const head = pattern[0];
    if (head === "*" || head === key) next.push(pattern.slice(1));
  }
  return next;
}

/** True when one of the patterns ends exactly here: the node is to be ignored. */
export function isIgnoredHere(patterns: readonly PointerPattern[]): boolean {
  return patterns.some((pattern) => pattern.length === 0);
}

export function escapePointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}
