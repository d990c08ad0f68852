import type { ExchangeRecord, RunError } from "../contracts/exchange.js";
import { canonicalize, canonicalKey } from "./canonical.js";
import type { CompiledRules } from "./compile-rules.js";
import { applyMasks } from "./masks.js";
import { detectRefusal } from "./refusal.js";
import type { InvalidCall, ToolCallValidator } from "./tool-validity.js";

export interface NormalizedStep {
  readonly name: string;
  /** Canonical arguments: sorted keys, masks applied, ignored paths removed. */
  readonly args: unknown;
  /** The canonical key of `args` (written when first read; `canonicalEqual` needs none). */
  readonly argsKey: string;
  /** Index of the turn group: calls in one group were issued together. */
  readonly group: number;
  /** The recorded call returned an error. */
  readonly failed: boolean;
}

export interface ToolCallCounts {
  readonly total: number;
  /** Calls checked against the release's tool schemas; 0 when no manifest was given. */
  readonly checked: number;
  readonly invalid: readonly InvalidCall[];
  readonly failed: number;
}

export interface NormalizedTrace {
  readonly steps: readonly NormalizedStep[];
  readonly groupCount: number;
  /** Canonical outcome; compare with `canonicalEqual`. */
  readonly outcome: unknown;
  readonly output: string | null;
  readonly refusal: boolean;
  readonly error: RunError | null;
  readonly toolCalls: ToolCallCounts;
}

const NO_INVALID: readonly InvalidCall[] = [];

/**
 * A normalized step whose canonical key is written the first time something asks for it. Most
 * pairs agree call for call, which `canonicalEqual` decides on the values; only the pairs that do
 * not go on to match calls and align them by key. Writing every call's key up front was about a
 * tenth of the diff benchmark's pipeline.
 */
class Step implements NormalizedStep {
  #argsKey: string | undefined;

  constructor(
    readonly name: string,
    readonly args: unknown,
    readonly group: number,
    readonly failed: boolean,
  ) {}

  get argsKey(): string {
    this.#argsKey ??= canonicalKey(this.args);
    return this.#argsKey;
  }
}

/** Normalizes what one release did with one request into the form the diff compares. */
export function normalizeTrace(
  record: ExchangeRecord,
  rules: CompiledRules,
  validator?: ToolCallValidator,
): NormalizedTrace {
  const response = record.response;
  const steps: NormalizedStep[] = new Array(response.steps.length);
  let invalid: InvalidCall[] | undefined;
  let failed = 0;
  let group = -1;
  let previousTurn: number | undefined;
  for (let index = 0; index < response.steps.length; index++) {
    const step = response.steps[index] as ExchangeRecord["response"]["steps"][number];
    // Consecutive calls with the same `turn` form one parallel group; a call without a turn is
    // a group of its own, so a producer that omits turns gets fully ordered (strict) semantics.
    if (step.turn === undefined || step.turn !== previousTurn) group++;
    previousTurn = step.turn;
    const toolRules = rules.toolRules(step.name);
    const args = canonicalize(step.arguments, rules.masks, toolRules.ignore);
    const isFailed = step.error !== undefined && step.error !== null;
    if (isFailed) failed++;
    steps[index] = new Step(step.name, args, group, isFailed);
    if (validator !== undefined) {
      const reason = validator(step.name, step.arguments);
      if (reason !== null) {
        invalid ??= [];
        invalid.push({ index, name: step.name, reason });
      }
    }
  }
  return {
    steps,
    groupCount: group + 1,
    outcome: canonicalize(response.outcome, rules.masks, rules.outcomeIgnore),
    output: normalizeText(response.output, rules),
    refusal: detectRefusal(response, rules),
    error: response.error,
    toolCalls: {
      total: steps.length,
      checked: validator === undefined ? 0 : steps.length,
      invalid: invalid ?? NO_INVALID,
      failed,
    },
  };
}

const WHITESPACE = /\s/;
/** Whitespace other than a space, or two spaces: with an edge test, the text has \s\s, [^\S ], ^\s or \s$. */
const INNER_UNCOLLAPSED = /[^\S ]| {2}/;

/**
 * Most outputs are already single-spaced; testing is far cheaper than rebuilding the string.
 * The same test as /\s\s|[^\S ]|^\s|\s$/ (two whitespace in a row are either two spaces or
 * include another whitespace character), whose anchored alternatives cost a fifth more.
 */
export function needsCollapse(text: string): boolean {
  if (text.length === 0) return false;
  return (
    WHITESPACE.test(text[0] as string) ||
    WHITESPACE.test(text[text.length - 1] as string) ||
    INNER_UNCOLLAPSED.test(text)
  );
}

function normalizeText(text: string | null, rules: CompiledRules): string | null {
  if (text === null || !rules.text.compare || rules.outputIgnored) return null;
  let result = applyMasks(text, rules.masks);
  if (rules.text.collapse_whitespace && needsCollapse(result)) result = result.replace(/\s+/g, " ").trim();
  if (!rules.text.case_sensitive) result = result.toLowerCase();
  return result;
}
