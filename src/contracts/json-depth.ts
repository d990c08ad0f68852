/**
 * The deepest nesting a record may have. Real agent records nest a few dozen levels; a record
 * nested thousands deep is hostile or broken, and every recursive walk after validation
 * (canonical forms, diffs, redaction) would end in a stack overflow with no location. Checked at
 * validation, so such a line is dead-lettered with its location and the run goes on.
 */
export const MAX_JSON_DEPTH = 1_000;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests deeper than `limit`, by one pass over its characters (strings skipped).
 * Text shorter than two characters per level cannot, so ordinary records cost one comparison.
 */
export function textNestsDeeper(text: string, limit = MAX_JSON_DEPTH): boolean {
  if (text.length < 2 * limit) return false;
  // Nesting needs an opening bracket per level: with no more than `limit` of them in the whole
  // text (almost every record), it cannot be deeper. Counted by native indexOf scans, which cost
  // a fraction of the character loop below (that loop on every record cost the diff a fifth).
  if (countUpTo(text, "{", limit + 1) + countUpTo(text, "[", limit + 1) <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** The same check on a parsed value (records that arrive as values), without recursion. */
export function valueNestsDeeper(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== "object") continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Occurrences of `character` in `text`, counting stops at `cap`. */
function countUpTo(text: string, character: string, cap: number): number {
  let count = 0;
  for (let at = text.indexOf(character); at !== -1 && count < cap; at = text.indexOf(character, at + 1))
    count++;
  return count;
}
