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
  // closures this replaced cost ~2 µs a pair, a tenth of the diff benchmark's pipeline.
  const slots = new Map<string, number>();
  for (const step of baseline.steps) slots.set(step.name, 0);
  for (const step of candidate.steps) slots.set(step.name, 0);
  const names = [...slots.keys()].sort();
  for (let index = 0; index < names.length; index++) slots.set(names[index] as string, index);
  const baselineSide = countCalls(baseline, slots, names.length);
  const candidateSide = countCalls(candidate, slots, names.length);
  return {
    names,
    baselineCalls: baselineSide.calls,
    candidateCalls: candidateSide.calls,
    baselineFailures: baselineSide.failures,
    candidateFailures: candidateSide.failures,
  };
}

function countCalls(
  trace: NormalizedTrace,
  slots: ReadonlyMap<string, number>,
  size: number,
): { calls: number[]; failures: number[] } {
  const calls = new Array<number>(size).fill(0);
  const failures = new Array<number>(size).fill(0);
  for (const step of trace.steps) {
    const slot = slots.get(step.name) as number;
    calls[slot] = (calls[slot] as number) + 1;
    if (step.failed) failures[slot] = (failures[slot] as number) + 1;
  }
  return { calls, failures };
}
