import { canonicalEqual } from "../normalize/canonical.js";
import type { CompiledRules } from "../normalize/compile-rules.js";
import type { NormalizedTrace } from "../normalize/trace.js";
import { alignSteps } from "./alignment.js";
import type { PairCategory } from "./category.js";
import { matchTrajectory, type TrajectoryResult } from "./trajectory.js";
import {
  describeDifference,
  differencePath,
  diffValues,
  leadingDifference,
  valuesEqual,
} from "./value-diff.js";

export interface PairDiff {
  readonly category: PairCategory;
  /** One line for a person: why this pair is not identical. Empty when identical. */
  readonly reason: string;
  /** Collapsed differing paths, sorted: what the noise floor and the reports count. */
  readonly paths: readonly string[];
  readonly trajectoryMatch: boolean;
  readonly argumentsMatch: boolean;
  readonly outcomeMatch: boolean;
  readonly outputMatch: boolean;
  readonly refusalMatch: boolean;
  readonly editDistance: number;
  /** Alignment ops over both step lists (see alignment.ts). */
  readonly alignment: string;
}

/** Classifies one pair. Pure: the same two traces and rules always give the same result. */
export function diffPair(
  baseline: NormalizedTrace,
  candidate: NormalizedTrace,
  rules: CompiledRules,
): PairDiff {
  if (candidate.error !== null) return candidateError(baseline, candidate);

  const paths: string[] = [];
  const refusalMatch = baseline.refusal === candidate.refusal;
  if (!refusalMatch) paths.push("/refusal");
  const baselineFailed = baseline.error !== null;
  if (baselineFailed) paths.push("/error");

  const outcomeMatch =
    canonicalEqual(baseline.outcome, candidate.outcome) ||
    valuesEqual(baseline.outcome, candidate.outcome, rules.tolerance);
  const outcomeDifferences = outcomeMatch
    ? []
    : diffValues(baseline.outcome, candidate.outcome, rules.tolerance);
  for (const difference of outcomeDifferences) paths.push(differencePath("/outcome", difference));

  const trajectory = matchTrajectory(baseline.steps, candidate.steps, rules);
  paths.push(...trajectory.paths);

  const outputMatch = baseline.output === candidate.output;
  if (!outputMatch) paths.push("/output");

  const { distance, ops } =
    trajectory.verdict === "match" && baseline.steps.length === candidate.steps.length
      ? { distance: 0, ops: "=".repeat(baseline.steps.length) }
      : alignSteps(baseline.steps, candidate.steps);

  const firstOutcome = leadingDifference(outcomeDifferences);
  const [category, reason] = classify({
    refusalMatch,
    baselineRefused: baseline.refusal,
    baselineFailed,
    outcomeReason: outcomeMatch
      ? null
      : firstOutcome
        ? describeDifference(firstOutcome, "outcome")
        : "outcome differs",
    trajectory,
    outputMatch,
  });
  return {
    category,
    reason,
    paths: unique(paths),
    trajectoryMatch: trajectory.verdict === "match",
    argumentsMatch: trajectory.verdict !== "args",
    outcomeMatch,
    outputMatch,
    refusalMatch,
    editDistance: distance,
    alignment: ops,
  };
}

interface Findings {
  readonly refusalMatch: boolean;
  readonly baselineRefused: boolean;
  readonly baselineFailed: boolean;
  readonly outcomeReason: string | null;
  readonly trajectory: TrajectoryResult;
  readonly outputMatch: boolean;
}

function classify(findings: Findings): [PairCategory, string] {
  if (!findings.refusalMatch) {
    return [
      "refusal_flip",
      findings.baselineRefused
        ? "baseline refused, candidate answered"
        : "candidate refused, baseline answered",
    ];
  }
  // A failed baseline with a completed candidate is a different structured result.
  if (findings.baselineFailed) return ["outcome_mismatch", "baseline failed, candidate completed"];
  if (findings.outcomeReason !== null) return ["outcome_mismatch", findings.outcomeReason];
  if (findings.trajectory.verdict === "sequence") return ["tool_sequence_drift", findings.trajectory.reason];
  if (findings.trajectory.verdict === "args") return ["args_drift", findings.trajectory.reason];
  if (!findings.outputMatch) return ["text_only", "output text differs"];
  return ["identical", ""];
}

function candidateError(baseline: NormalizedTrace, candidate: NormalizedTrace): PairDiff {
  const error = candidate.error as NonNullable<NormalizedTrace["error"]>;
  const also = baseline.error !== null ? " (baseline failed too)" : "";
  return {
    category: "candidate_error",
    reason: `candidate failed: ${error.type}: ${error.message}${also}`,
    paths: ["/error"],
    trajectoryMatch: false,
    argumentsMatch: false,
    outcomeMatch: false,
    outputMatch: false,
    refusalMatch: baseline.refusal === candidate.refusal,
    editDistance: alignSteps(baseline.steps, candidate.steps).distance,
    alignment: "",
  };
}

function unique(paths: string[]): string[] {
  return paths.length < 2 ? paths : [...new Set(paths)].sort();
}
