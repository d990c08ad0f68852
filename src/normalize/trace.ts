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
  readonly outcome: unknown;
  readonly outcomeKey: string;
  readonly output: string | null;
  readonly refusal: boolean;
  readonly error: RunError | null;
  readonly toolCalls: ToolCallCounts;
}

const NO_INVALID: readonly InvalidCall[] = [];

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
    steps[index] = { name: step.name, args, argsKey: canonicalKey(args), group, failed: isFailed };
    if (validator !== undefined) {
      const reason = validator(step.name, step.arguments);
      if (reason !== null) {
        invalid ??= [];
        invalid.push({ index, name: step.name, reason });
      }
    }
  }
  const outcome = canonicalize(response.outcome, rules.masks, rules.outcomeIgnore);
  return {
    steps,
    groupCount: group + 1,
    outcome,
    outcomeKey: canonicalKey(outcome),
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

const UNCOLLAPSED = /\s\s|[^\S ]|^\s|\s$/;

/** Most outputs are already single-spaced; testing is far cheaper than rebuilding the string. */
function needsCollapse(text: string): boolean {
  return UNCOLLAPSED.test(text);
}

function normalizeText(text: string | null, rules: CompiledRules): string | null {
  if (text === null || !rules.text.compare || rules.outputIgnored) return null;
  let result = applyMasks(text, rules.masks);
  if (rules.text.collapse_whitespace && needsCollapse(result)) result = result.replace(/\s+/g, " ").trim();
  if (!rules.text.case_sensitive) result = result.toLowerCase();
  return result;
}
