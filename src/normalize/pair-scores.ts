import type { ExchangeRecord } from "../contracts/exchange.js";
import type { CompiledCheck } from "./checks.js";
import type { NormalizedTrace } from "./trace.js";

/**
 * What a pair is scored on, both sides, aligned by name: the records' own scores (source
 * `record`) and shadowdiff's checks (source `check`, 1 pass / 0 fail). A side without the score,
 * or a record a check does not apply to, holds NaN. Evaluated when the pair is made and stored
 * with it, so `report` and `gate` need no rules file.
 */
export interface PairScores {
  readonly names: readonly string[];
  readonly sources: readonly ("record" | "check")[];
  readonly baseline: readonly number[];
  readonly candidate: readonly number[];
  /** A failed check's first Ajv reason per side ("" otherwise), for examples. */
  readonly baselineReasons: readonly string[];
  readonly candidateReasons: readonly string[];
}

export function pairScores(
  baseline: ExchangeRecord,
  candidate: ExchangeRecord,
  checks: readonly CompiledCheck[],
): PairScores {
  const baselineScores = baseline.response.scores;
  const candidateScores = candidate.response.scores;
  const names = scoreNames(baselineScores, candidateScores);
  const sources: ("record" | "check")[] = [];
  const baselineValues: number[] = [];
  const candidateValues: number[] = [];
  const baselineReasons: string[] = [];
  const candidateReasons: string[] = [];
  for (const name of names) {
    sources.push("record");
    baselineValues.push(scoreValue(baselineScores?.[name]));
    candidateValues.push(scoreValue(candidateScores?.[name]));
    baselineReasons.push("");
    candidateReasons.push("");
  }
  for (const check of checks) {
    const b = check.evaluate(baseline);
    const c = check.evaluate(candidate);
    names.push(check.name);
    sources.push("check");
    baselineValues.push(b.status === "na" ? Number.NaN : b.status === "pass" ? 1 : 0);
    candidateValues.push(c.status === "na" ? Number.NaN : c.status === "pass" ? 1 : 0);
    baselineReasons.push(b.status === "fail" ? b.reason : "");
    candidateReasons.push(c.status === "fail" ? c.reason : "");
  }
  return {
    names,
    sources,
    baseline: baselineValues,
    candidate: candidateValues,
    baselineReasons,
    candidateReasons,
  };
}

type Scores = ExchangeRecord["response"]["scores"];

/**
 * The union of both sides' score names, sorted. Both sides usually carry the same few names, so
 * the candidate's are added only when the baseline lacks them (an own-property test, no set).
 */
function scoreNames(baseline: Scores, candidate: Scores): string[] {
  const names = baseline === undefined ? [] : Object.keys(baseline);
  if (candidate !== undefined) {
    for (const name of Object.keys(candidate)) {
      if (baseline === undefined || !Object.hasOwn(baseline, name)) names.push(name);
    }
  }
  return names.length > 1 ? names.sort() : names;
}

function scoreValue(value: number | boolean | undefined): number {
  if (value === undefined) return Number.NaN;
  if (typeof value === "boolean") return value ? 1 : 0;
  return Number.isFinite(value) ? value : Number.NaN;
}

/** Calls and failed calls per tool name, both sides, over the union of names (sorted). */
export interface ToolCounts {
  readonly names: readonly string[];
  readonly baselineCalls: readonly number[];
  readonly candidateCalls: readonly number[];
  readonly baselineFailures: readonly number[];
  readonly candidateFailures: readonly number[];
}

export function toolCounts(baseline: NormalizedTrace, candidate: NormalizedTrace): ToolCounts {
  // Name → position among the sorted names, counts in flat arrays: the per-name entry objects and
  // closures this replaced cost ~2 µs a pair, a tenth of the diff benchmark's pipeline. A pair
  // calls a handful of tools, so names are found by a scan of the list; a Map is built only when
  // there are many (hostile traces with thousands of names stay linear).
  const names: string[] = [];
  const seen = addNames(candidate.steps, addNames(baseline.steps, null, names), names);
  names.sort();
  let slots: Map<string, number> | null = null;
  if (seen !== null) {
    slots = new Map();
    for (let index = 0; index < names.length; index++) slots.set(names[index] as string, index);
  }
  const baselineCalls = zeros(names.length);
  const candidateCalls = zeros(names.length);
  const baselineFailures = zeros(names.length);
  const candidateFailures = zeros(names.length);
  countCalls(baseline.steps, names, slots, baselineCalls, baselineFailures);
  countCalls(candidate.steps, names, slots, candidateCalls, candidateFailures);
  return { names, baselineCalls, candidateCalls, baselineFailures, candidateFailures };
}

/** A packed array of zeros (new Array(n).fill(0) stays holey, and slower to index). */
function zeros(size: number): number[] {
  const list: number[] = [];
  for (let index = 0; index < size; index++) list.push(0);
  return list;
}

/** Up to this many distinct names are looked up by scanning the list. */
const SCANNED_NAMES = 16;

/** Appends the steps' names not yet in `names`; returns the set of them once the list is long. */
function addNames(
  steps: NormalizedTrace["steps"],
  seen: Set<string> | null,
  names: string[],
): Set<string> | null {
  let set = seen;
  for (let index = 0; index < steps.length; index++) {
    const name = (steps[index] as NormalizedTrace["steps"][number]).name;
    if (set !== null) {
      if (!set.has(name)) {
        set.add(name);
        names.push(name);
      }
    } else if (!names.includes(name)) {
      names.push(name);
      if (names.length > SCANNED_NAMES) set = new Set(names);
    }
  }
  return set;
}

function countCalls(
  steps: NormalizedTrace["steps"],
  names: readonly string[],
  slots: ReadonlyMap<string, number> | null,
  calls: number[],
  failures: number[],
): void {
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index] as NormalizedTrace["steps"][number];
    const slot = slots === null ? names.indexOf(step.name) : (slots.get(step.name) as number);
    calls[slot] = (calls[slot] as number) + 1;
    if (step.failed) failures[slot] = (failures[slot] as number) + 1;
  }
}
