/**
 * Values as a one-line reason shows them. A reason has room for about 40 characters a value; two
 * long values cut at the same length can look identical (`"User Lucas Brown (user ID: lucas_bro…`
 * twice), so when a value must be cut, both sides show a window around the first character where
 * they differ, with an ellipsis on each side that was cut.
 */
const WIDTH = 40;
/** Characters kept before the first difference, so a person sees what it follows. */
const LEAD = 12;
const ELLIPSIS = "…";

export function previewPair(baseline: unknown, candidate: unknown): [string, string] {
  const a = jsonText(baseline);
  const b = jsonText(candidate);
  if (a.length <= WIDTH && b.length <= WIDTH) return [a, b];
  const at = firstDifference(a, b);
  return [window(a, at), window(b, at)];
}

/** One value alone (a name, a label): its text, cut at the end when too long. */
export function previewOne(value: unknown): string {
  const text = typeof value === "string" ? value : jsonText(value);
  return window(text, 0);
}

function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

function firstDifference(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  let at = 0;
  while (at < shared && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** About WIDTH characters of `text` that include position `at`. */
function window(text: string, at: number): string {
  if (text.length <= WIDTH) return text;
  // As many characters as a value cut at the end always showed, whichever side is cut.
  const room = WIDTH - 3;
  let start = at + LEAD < room ? 0 : at - LEAD;
  // Near the end, open earlier rather than show a short window.
  if (start > 0 && start + room > text.length) start = Math.max(0, text.length - room);
  let end = Math.min(text.length, start + room);
  // Never split a surrogate pair: half an emoji is not a character.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${start > 0 ? ELLIPSIS : ""}${text.slice(start, end)}${end < text.length ? ELLIPSIS : ""}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
