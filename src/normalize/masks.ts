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
  if (options.uuid)
    masks.push({ name: "uuid", regex: UUID, mayMatch: (text) => text.length >= 36 && text.includes("-") });
  if (options.timestamp) {
    masks.push({
      name: "timestamp",
      regex: TIMESTAMP,
      mayMatch: (text) => text.length >= 16 && text.includes(":"),
    });
  }
  for (const pattern of options.patterns) {
    masks.push({ name: pattern.name, regex: new RegExp(pattern.pattern, "g"), mayMatch: () => true });
  }
  return masks;
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
