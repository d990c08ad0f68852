import type { PairedBinary, Rate } from "./rate-types.js";
import type { JudgeCounts, JudgedExample } from "./report-aggregate.js";

/** Scores, checks and per-tool rates of a report segment (the "better or worse" metrics). */

/**
 * A score compared pair by pair: both sides' means over the pairs where both have it, the paired
 * difference candidate − baseline with its 95% interval (Newcombe's paired interval for a 0/1
 * score, the normal interval of the mean difference otherwise), and its p value (exact McNemar
 * for a 0/1 score, the paired z test otherwise).
 */
export interface ScoreReport {
  readonly source: "record" | "check" | "judge";
  readonly binary: boolean;
  readonly pairs: number;
  /** Pairs where only one side has the score (not compared). */
  readonly one_sided: { readonly baseline: number; readonly candidate: number };
  readonly baseline: { readonly mean: number | null };
  readonly candidate: { readonly mean: number | null };
  readonly delta: {
    readonly value: number | null;
    readonly low: number | null;
    readonly high: number | null;
  };
  readonly p_value: number | null;
  /** 0 → 1 and 1 → 0, for 0/1 scores. */
  readonly gained: number | null;
  readonly lost: number | null;
  /** Checks: pass / fail / not applicable on each side, over every completed pair. */
  readonly baseline_counts?: { readonly pass: number; readonly fail: number; readonly na: number };
  readonly candidate_counts?: { readonly pass: number; readonly fail: number; readonly na: number };
  /** Sums over the compared pairs, for the gate's bounds. */
  readonly moments: Moments;
  /** The pairwise judge's verdicts (source `judge`). */
  readonly judge?: JudgeReport;
}

/**
 * The judge's preference for the candidate: as a score, `lost` = worse and `gained` = better over
 * the judged pairs (unparseable ones left out), so the delta is the net preference
 * (better − worse) / judged with Newcombe's paired interval, and `p_value` is the exact sign test
 * on the discordant verdicts (McNemar). `aa` is the same judge on the baseline's A/A pairs: how
 * often it prefers one of two baseline answers, the judge's own noise.
 */
export interface JudgeReport extends JudgePreference {
  readonly judge: { readonly id: string; readonly name: string; readonly version: string };
  readonly examples?: readonly JudgedExample[];
  readonly aa: JudgePreference | null;
}

/** One judge's verdicts over a set of pairs: counts, and the net preference with its interval. */
export interface JudgePreference extends JudgeCounts {
  readonly judged: number;
  readonly net_preference: {
    readonly value: number | null;
    readonly low: number | null;
    readonly high: number | null;
  };
}

/** Third-order paired sums (for the skewness correction of a ratio's bounds). */
export interface ThirdPowerSums {
  readonly sum_baseline_cubes: number;
  readonly sum_baseline_squares_times_candidate: number;
  readonly sum_baseline_times_candidate_squares: number;
  readonly sum_candidate_cubes: number;
}

/** Paired sums: x = baseline, y = candidate. */
export interface Moments {
  readonly n: number;
  readonly sum_baseline: number;
  readonly sum_candidate: number;
  readonly sum_baseline_squares: number;
  readonly sum_candidate_squares: number;
  readonly sum_products: number;
}

/** A tool: the share of tasks calling it, calls per task, and the failure rate of its calls. */
export interface ToolReport {
  readonly share: PairedBinary & { readonly delta: number; readonly low: number; readonly high: number };
  readonly calls: {
    readonly baseline_mean: number;
    readonly candidate_mean: number;
    readonly ratio: number | null;
    readonly low: number | null;
    readonly high: number | null;
    readonly moments: Moments;
    readonly third_moments: ThirdPowerSums;
  };
  readonly failures: { readonly baseline: Rate; readonly candidate: Rate };
}
