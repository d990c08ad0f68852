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
  const names: string[] = [];
  const sources: ("record" | "check")[] = [];
  const baselineValues: number[] = [];
  const candidateValues: number[] = [];
  const baselineReasons: string[] = [];
  const candidateReasons: string[] = [];
  const recordNames = new Set([
    ...Object.keys(baseline.response.scores ?? {}),
    ...Object.keys(candidate.response.scores ?? {}),
  ]);
  for (const name of [...recordNames].sort()) {
    names.push(name);
    sources.push("record");
    baselineValues.push(scoreValue(baseline.response.scores?.[name]));
    candidateValues.push(scoreValue(candidate.response.scores?.[name]));
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
  const counts = new Map<string, { calls: [number, number]; failures: [number, number] }>();
  const add = (trace: NormalizedTrace, side: 0 | 1) => {
    for (const step of trace.steps) {
      const entry = counts.get(step.name) ?? { calls: [0, 0], failures: [0, 0] };
      entry.calls[side]++;
      if (step.failed) entry.failures[side]++;
      counts.set(step.name, entry);
    }
  };
  add(baseline, 0);
  add(candidate, 1);
  const names = [...counts.keys()].sort();
  const of = (name: string) => counts.get(name) as { calls: [number, number]; failures: [number, number] };
  return {
    names,
    baselineCalls: names.map((name) => of(name).calls[0]),
    candidateCalls: names.map((name) => of(name).calls[1]),
    baselineFailures: names.map((name) => of(name).failures[0]),
    candidateFailures: names.map((name) => of(name).failures[1]),
  };
}
