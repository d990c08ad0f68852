/**
 * Digit chains: runs of ASCII digits joined by the punctuation people put inside phone and card
 * numbers (a space, "-", ".", "/", parentheses). Card and phone rules judge windows of whole
 * groups of a chain, never a regex over the raw text, so what is taken is always explainable by
 * its grouping: `2024-05-15 15` is four groups of 4-2-2-2 digits with mixed separators, which no
 * phone or card format writes.
 *
 * The scan is one forward pass: every character is read a bounded number of times (by the digit
 * loop, or by the one- to three-character look at a gap), so it is linear in the text.
 */
export interface DigitGroup {
  readonly start: number;
  readonly end: number;
  /** "(" right before the digits, ")" right after them. */
  readonly open: boolean;
  readonly close: boolean;
  /** The separator before this group, normalized (" ", "-", ".", "/"); "" for none or the first. */
  readonly gap: string;
}

export interface DigitChain {
  /**
   * The groups not yet decided on. A long chain (a megabyte of `4 4 4 …`, a printed embedding) is
   * handed over in segments, and the groups already decided on are dropped, so memory stays
   * bounded; `continued` says index 0 is not the chain's first group.
   */
  readonly groups: readonly DigitGroup[];
  readonly continued: boolean;
  /** A "+" right before the chain's first group (or before its "("); false once continued. */
  readonly plus: boolean;
  /** Where the chain's text begins: its "+", its "(", or its first digit. */
  readonly spanStart: number;
  /** Glued to a word on that side (`ORD-2024`, `v1.2`, `2671x`): part of an id, not a number. */
  readonly leftAttached: boolean;
  /** Known once the whole chain is read (`complete`); false before. */
  readonly rightAttached: boolean;
}

/**
 * Groups a rule may look at past the group it starts from: no rule reads more than 19 digits
 * (a card) plus the gap after its last group, and every group has a digit.
 */
export const CHAIN_LOOKAHEAD = 24;
const SEGMENT_GROUPS = 1024;

/**
 * Called with the chain so far and whether it is complete; returns how many groups from the
 * front are decided on (every start before it has been tried), so they can be dropped. When the
 * chain is not complete, starts closer than CHAIN_LOOKAHEAD to the end must wait.
 */
export type ChainVisitor = (chain: DigitChain, complete: boolean) => number;

export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

function isWordChar(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  if (code < 128) {
    return isDigitCode(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  }
  return WORD_CHAR.test(char);
}

// A word joined by one of these to a digit run makes one token (`ORD-2024`, `v2024.05`, `a/123`,
// base64's `c+4155552671`); ":" and "=" are not here, so `tel:+1…` and `phone=…` still count.
const JOINERS = new Set(["-", ".", "/", "+"]);

/** Separators inside a number; no-break spaces and Unicode hyphens count as their plain kind. */
function separatorKind(char: string | undefined): string | undefined {
  switch (char) {
    case " ":
    case "\u00a0":
    case "\u202f":
      return " ";
    case "-":
    case "\u2010":
    case "\u2011":
    case "\u2012":
    case "\u2013":
      return "-";
    case ".":
    case "/":
      return char;
    default:
      return undefined;
  }
}

/** Calls `visit` for every chain of the text, left to right. */
export function forEachDigitChain(text: string, visit: ChainVisitor): void {
  let index = 0;
  while (index < text.length) {
    if (!isDigitCode(text.charCodeAt(index))) {
      index++;
      continue;
    }
    index = readChain(text, index, visit);
  }
}

interface MutableChain {
  groups: DigitGroup[];
  continued: boolean;
  plus: boolean;
  spanStart: number;
  leftAttached: boolean;
  rightAttached: boolean;
}

function readChain(text: string, firstDigit: number, visit: ChainVisitor): number {
  let spanStart = firstDigit;
  let open = text[spanStart - 1] === "(";
  if (open) spanStart--;
  let plus = text[spanStart - 1] === "+";
  if (plus) spanStart--;
  const before = text[spanStart - 1];
  const leftAttached =
    isWordChar(before) || (before !== undefined && JOINERS.has(before) && isWordChar(text[spanStart - 2]));
  // "abc+123" is base64 or an expression, not an international number.
  if (plus && leftAttached) plus = false;

  const chain: MutableChain = {
    groups: [],
    continued: false,
    plus,
    spanStart,
    leftAttached,
    rightAttached: false,
  };
  let start = firstDigit;
  let gap = "";
  for (;;) {
    let end = start;
    while (end < text.length && isDigitCode(text.charCodeAt(end))) end++;
    const close = text[end] === ")";
    chain.groups.push({ start, end, open, close, gap });
    const next = continuation(text, close ? end + 1 : end, close);
    if (next === undefined) {
      const spanEnd = close ? end + 1 : end;
      const after = text[spanEnd];
      chain.rightAttached =
        isWordChar(after) || (after !== undefined && JOINERS.has(after) && isWordChar(text[spanEnd + 1]));
      visit(chain, true);
      return spanEnd;
    }
    if (chain.groups.length >= SEGMENT_GROUPS + CHAIN_LOOKAHEAD) {
      chain.groups.splice(0, visit(chain, false));
      chain.continued = true;
      chain.plus = false;
    }
    ({ start, gap, open } = next);
  }
}

/**
 * What joins a group to the next: one separator, or just parentheses (`(0)20`, `(415)555`), then a
 * digit, optionally behind "(". A spaced dash or slash (`030 / 901820`, `1990 - 415…`) counts as a
 * space, so a window may begin after it; "." never takes a space (`in 1990. 415-555-2671`).
 */
function continuation(
  text: string,
  from: number,
  closed: boolean,
): { start: number; gap: string; open: boolean } | undefined {
  let position = from;
  const gap = separatorKind(text[position]) ?? "";
  if (gap !== "") position++;
  if (gap === " ") {
    const spaced = separatorKind(text[position]);
    if ((spaced === "-" || spaced === "/") && separatorKind(text[position + 1]) === " ") position += 2;
  }
  const open = text[position] === "(";
  if (open) position++;
  if (!isDigitCode(text.charCodeAt(position))) return undefined;
  if (gap === "" && !open && !closed) return undefined;
  return { start: position, gap, open };
}

export function digitsOf(text: string, groups: readonly DigitGroup[], from: number, to: number): string {
  let digits = "";
  for (let index = from; index <= to; index++) {
    const group = groups[index] as DigitGroup;
    digits += text.slice(group.start, group.end);
  }
  return digits;
}

/** A window may begin at the chain's start, or after a space (never inside `2024-05` or `1.5`). */
export function canStartAt(chain: DigitChain, index: number): boolean {
  return index === 0 && !chain.continued ? !chain.leftAttached : chain.groups[index]?.gap === " ";
}

/** A window may end at the chain's end, or before a space. */
export function canEndAt(chain: DigitChain, index: number): boolean {
  if (index === chain.groups.length - 1) return !chain.rightAttached;
  return chain.groups[index + 1]?.gap === " ";
}

/** A group in parentheses of its own: `(415)`, `(0)`, `(030)`. */
export function isParenthesized(group: DigitGroup): boolean {
  return group.open && group.close;
}

/**
 * The text a window covers: its "+" (first group of the chain only) and the parentheses of a
 * group inside it (`(415) 555-2671`). Parentheses around the whole window (`(4242…)`, a lone "("
 * before the first group or ")" after the last) are punctuation around the number and stay.
 */
export function windowSpan(chain: DigitChain, from: number, to: number): { start: number; end: number } {
  const first = chain.groups[from] as DigitGroup;
  const last = chain.groups[to] as DigitGroup;
  let start = from < to && isParenthesized(first) ? first.start - 1 : first.start;
  if (from === 0 && chain.plus) start = chain.spanStart;
  return { start, end: from < to && isParenthesized(last) ? last.end + 1 : last.end };
}

/** True when a group inside the window has one parenthesis without its pair (`(11:00`, `1)`). */
export function hasStrayParenthesis(chain: DigitChain, from: number, to: number): boolean {
  for (let index = from; index <= to; index++) {
    const group = chain.groups[index] as DigitGroup;
    if (group.open === group.close) continue;
    const outerOpen = index === from && group.open;
    const outerClose = index === to && group.close;
    if (!outerOpen && !outerClose) return true;
  }
  return false;
}
