import type { MaskPattern } from "../contracts/rules.js";

/**
 * Value masks replace volatile substrings (ids, timestamps) with a placeholder so that two runs
 * that differ only in those values compare equal. Masks apply inside strings, not only to whole
 * values, because agents embed ids in prose ("order 9f1c… created at …").
 */
export interface CompiledMask {
  readonly name: string;
  readonly regex: RegExp;
  /** A cheap test that rules the regex out for most strings before it runs. */
  readonly mayMatch: (text: string) => boolean;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// RFC 3339 / ISO 8601 date-times, with optional seconds, fraction and zone. Bounded quantifiers
// only, so no input can make this backtrack badly.
const TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?/g;

export function compileMasks(options: {
  readonly uuid: boolean;
  readonly timestamp: boolean;
  readonly patterns: readonly MaskPattern[];
}): CompiledMask[] {
  const masks: CompiledMask[] = [];
  if (options.uuid) masks.push({ name: "uuid", regex: UUID, mayMatch: mayHoldUuid });
  if (options.timestamp) {
    masks.push({
      name: "timestamp",
      regex: TIMESTAMP,
      mayMatch: mayHoldTimestamp,
    });
  }
  for (const pattern of options.patterns) {
    masks.push({ name: pattern.name, regex: new RegExp(pattern.pattern, "g"), mayMatch: () => true });
  }
  return masks;
}

const DASH = 0x2d;

/** A UUID has dashes 5, 10 and 15 characters after its first one; most text has no such run. */
function mayHoldUuid(text: string): boolean {
  if (text.length < 36) return false;
  for (let at = text.indexOf("-", 8); at !== -1 && at + 28 <= text.length; at = text.indexOf("-", at + 1)) {
    if (
      text.charCodeAt(at + 5) === DASH &&
      text.charCodeAt(at + 10) === DASH &&
      text.charCodeAt(at + 15) === DASH
    )
      return true;
  }
  return false;
}

/** A timestamp has `dd:dd`; a colon in prose ("Done: …") rarely sits between digits. */
function mayHoldTimestamp(text: string): boolean {
  if (text.length < 16) return false;
  for (let at = text.indexOf(":", 13); at !== -1; at = text.indexOf(":", at + 1)) {
    if (isDigit(text.charCodeAt(at - 1)) && isDigit(text.charCodeAt(at + 1))) return true;
  }
  return false;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function applyMasks(text: string, masks: readonly CompiledMask[]): string {
  let result = text;
  for (const mask of masks) {
    if (!mask.mayMatch(result)) continue;
    mask.regex.lastIndex = 0;
    result = result.replace(mask.regex, `<${mask.name}>`);
  }
  return result;
}
