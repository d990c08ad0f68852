import { type NetDriftCounts, netDriftMethod } from "../diff/net-drift.js";
import {
  betaBinomialMixtureBounds,
  clopperPearsonBounds,
  differenceSkewness,
  fiellerBounds,
  normalMixtureHalfWidth,
  normalQuantile,
  orderStatisticRanks,
  pairedRateDifference,
  ratioBoundsByRoot,
  sequentialOrderStatisticRanks,
  skewCorrectedCriticalValues,
  type ThirdMoments,
} from "../stats/index.js";
import type { BinaryCounts, PairedMoments } from "./report-aggregate.js";

/**
 * The one place every guardrail's interval is computed, for the report (95%, 2.5% a side) and for
 * the gate (the fail side at its multiplicity-adjusted level). Each bound is one-sided at its own
 * level: `alphaLow` is the chance the true value lies below `low`, `alphaHigh` above `high`. A
 * sequential look widens each to an always-valid bound and never narrows it below the fixed-n one.
 */
export interface Sides {
  readonly alphaLow: number;
  readonly alphaHigh: number;
  readonly sequential: boolean;
}

export interface Bounds {
  readonly estimate: number;
  /** May be −Infinity / +Infinity where the data bound nothing yet. */
  readonly low: number;
  readonly high: number;
}

export const REPORT_SIDES: Sides = { alphaLow: 0.025, alphaHigh: 0.025, sequential: false };

/** A rate: Clopper–Pearson (exact at every count), or Robbins' beta-binomial mixture sequence. */
export function rateBounds(count: number, total: number, sides: Sides): Bounds {
  const estimate = total === 0 ? 0 : count / total;
  const fixed = clopperPearsonBounds(count, total, sides.alphaLow, sides.alphaHigh);
  if (!sides.sequential) return { estimate, ...fixed };
  const low = betaBinomialMixtureBounds(count, total, sides.alphaLow).low;
  const high = betaBinomialMixtureBounds(count, total, sides.alphaHigh).high;
  return { estimate, low: Math.min(low, fixed.low), high: Math.max(high, fixed.high) };
}

/** candidate − baseline of a paired 0/1 quantity over `pairs` pairs (Newcombe method 10). */
export function pairedDeltaBounds(counts: BinaryCounts, pairs: number, sides: Sides): Bounds | undefined {
  const both = counts.baseline - counts.lost;
  const table = {
    both,
    baselineOnly: counts.lost,
    candidateOnly: counts.gained,
    neither: pairs - both - counts.lost - counts.gained,
  };
  return pairedTableBounds(table, sides);
}

interface PairedTable {
  readonly both: number;
  readonly baselineOnly: number;
  readonly candidateOnly: number;
  readonly neither: number;
}

function pairedTableBounds(table: PairedTable, sides: Sides): Bounds | undefined {
  // Exact (Clopper–Pearson) margins: Wilson's sat at 2.5-2.9% a side for a 2.5% bound in the
  // gate's simulations; the exact ones stayed at or under 2.5% (docs/SEMANTICS.md).
  const low = pairedRateDifference(table, 1 - 2 * sides.alphaLow, { exactMargins: true });
  const high = pairedRateDifference(table, 1 - 2 * sides.alphaHigh, { exactMargins: true });
  if (low === undefined || high === undefined) return undefined;
  const fixed = { estimate: low.estimate, low: low.low, high: high.high };
  if (!sides.sequential) return fixed;
  // The per-pair difference x ∈ {−1, 0, 1}: a mean with sums n, Σx, Σx².
  const n = table.both + table.baselineOnly + table.candidateOnly + table.neither;
  const sum = table.candidateOnly - table.baselineOnly;
  const variance = Math.max(0, (table.candidateOnly + table.baselineOnly) / n - (sum / n) ** 2);
  return hull(fixed, {
    estimate: fixed.estimate,
    low: fixed.estimate - normalMixtureHalfWidth(n, variance, sides.alphaLow),
    high: fixed.estimate + normalMixtureHalfWidth(n, variance, sides.alphaHigh),
  });
}

/**
 * What net drift is computed from: the candidate's completed pairs and how many differ, the A/A
 * pairs likewise, and the paired table over requests both have (diff/net-drift.ts's counts).
 */
export type NetDriftInput = NetDriftCounts;

/** mean(d_C) − mean(d_A), paired (Newcombe method 10) or independent (Newcombe's hybrid score). */
export function netDriftBounds(input: NetDriftInput, sides: Sides): Bounds | undefined {
  if (input.pairs === 0) return undefined;
  if (netDriftMethod(input) === "paired") {
    return pairedTableBounds(
      {
        both: input.matched.both,
        baselineOnly: input.matched.aaOnly,
        candidateOnly: input.matched.candidateOnly,
        neither: input.matched.neither,
      },
      sides,
    );
  }
  if (input.aaPairs === 0) return undefined;
  // Independent: each side's rate bounded at half the level (exact Clopper–Pearson, or its
  // always-valid sequence), combined by a union bound: conservative, and exact at every count.
  const candidateRate = rateBounds(input.differing, input.pairs, {
    alphaLow: sides.alphaLow / 2,
    alphaHigh: sides.alphaHigh / 2,
    sequential: sides.sequential,
  });
  const aaRate = rateBounds(input.aaDiffering, input.aaPairs, {
    alphaLow: sides.alphaHigh / 2,
    alphaHigh: sides.alphaLow / 2,
    sequential: sides.sequential,
  });
  return {
    estimate: candidateRate.estimate - aaRate.estimate,
    low: candidateRate.low - aaRate.high,
    high: candidateRate.high - aaRate.low,
  };
}

/**
 * A ratio of two paired means, e.g. cost per task: Σcost_C / Σcost_B over completed, priced pairs, or
 * a tool's calls per task. Fieller's interval from the paired moments, its critical values
 * corrected for skewness (stats/ratio-skewness.ts); sequentially, the set of ratios R at which the always-valid
 * sequence for mean(cost_C − R·cost_B) contains 0, hulled with Fieller's.
 */
export function ratioOfMeansBounds(
  moments: PairedMoments,
  sides: Sides,
  third?: ThirdMoments,
): Bounds | undefined {
  if (moments.n < 2 || moments.sumX <= 0) return undefined;
  // Skewed costs (a few tasks looping at many times the cost) leave Fieller's upper bound short and
  // its lower bound long: with third moments, Hall's transformation removes the skewness term
  // (the skewness of cost_C − R·cost_B read at the estimate), on Student's t critical values.
  const skewness =
    third === undefined ? null : differenceSkewness(moments, third, moments.sumY / moments.sumX);
  const { zLow, zHigh } = skewCorrectedCriticalValues(
    sides.alphaLow,
    sides.alphaHigh,
    skewness ?? 0,
    moments.n,
  );
  const fixed = fiellerBounds(moments, zLow, zHigh);
  if (fixed === undefined) return undefined;
  if (!sides.sequential) return fixed;
  const n = moments.n;
  const sequence = ratioBoundsByRoot(
    moments,
    (variance) => normalMixtureHalfWidth(n, Math.max(variance, 0), sides.alphaLow),
    (variance) => normalMixtureHalfWidth(n, Math.max(variance, 0), sides.alphaHigh),
  );
  return sequence === undefined ? fixed : hull(fixed, { ...sequence, estimate: fixed.estimate });
}

export interface LatencyGrid {
  /** Completed pairs the quantiles are over. */
  readonly pairs: number;
  readonly levels: readonly number[];
  readonly baseline: readonly number[];
  readonly candidate: readonly number[];
}

const P95 = 0.95;

/**
 * p95 latency ratio candidate / baseline. Each side's p95 gets distribution-free order-statistic
 * bounds (binomial ranks; sequentially, ranks from Robbins' mixture on the count below the
 * quantile), each at half the level, so the ratio's bounds hold by a union bound:
 * low = C_low / B_high, high = C_high / B_low. A rank the grid does not hold is read at the
 * nearest grid level on its conservative side.
 */
export function p95RatioBounds(grid: LatencyGrid, sides: Sides): Bounds | undefined {
  const n = grid.pairs;
  const at = (values: readonly number[], level: number) => values[grid.levels.indexOf(level)];
  const baselineP95 = at(grid.baseline, P95);
  const candidateP95 = at(grid.candidate, P95);
  if (n === 0 || baselineP95 === undefined || candidateP95 === undefined || baselineP95 <= 0)
    return undefined;
  const ranks = (alpha: number) =>
    sides.sequential
      ? widest(
          orderStatisticRanks(n, P95, alpha / 2, alpha / 2),
          sequentialOrderStatisticRanks(n, P95, alpha / 2),
        )
      : orderStatisticRanks(n, P95, alpha / 2, alpha / 2);
  const lowRanks = ranks(sides.alphaLow);
  const highRanks = ranks(sides.alphaHigh);
  const lowC = valueAtRank(grid, grid.candidate, lowRanks.low, "below");
  const highB = valueAtRank(grid, grid.baseline, lowRanks.high, "above");
  const highC = valueAtRank(grid, grid.candidate, highRanks.high, "above");
  const lowB = valueAtRank(grid, grid.baseline, highRanks.low, "below");
  return {
    estimate: candidateP95 / baselineP95,
    low: lowC <= 0 || !Number.isFinite(highB) ? 0 : lowC / highB,
    high: lowB <= 0 || !Number.isFinite(highC) ? Number.POSITIVE_INFINITY : highC / lowB,
  };
}

function widest(
  a: { low: number | null; high: number | null },
  b: { low: number | null; high: number | null },
): { low: number | null; high: number | null } {
  const low = a.low === null || b.low === null ? null : Math.min(a.low, b.low);
  const high = a.high === null || b.high === null ? null : Math.max(a.high, b.high);
  return { low, high };
}

/**
 * The value at 1-based rank `rank`, or the nearest grid value on the conservative side. A level λ
 * holds the value at 0-based index ⌊λ·n⌋ (ClickHouse's quantileExact, the same double arithmetic).
 */
function valueAtRank(
  grid: LatencyGrid,
  values: readonly number[],
  rank: number | null,
  side: "below" | "above",
): number {
  const none = side === "below" ? 0 : Number.POSITIVE_INFINITY;
  if (rank === null) return none;
  const index = rank - 1;
  // Levels are ascending, so the index each holds is too: the last at or below the rank, or the
  // first at or above it.
  const held = grid.levels.map((level) => Math.floor(level * grid.pairs));
  const position =
    side === "below" ? held.findLastIndex((at) => at <= index) : held.findIndex((at) => at >= index);
  return position === -1 ? none : (values[position] ?? none);
}

function hull(a: Bounds, b: Bounds): Bounds {
  return { estimate: a.estimate, low: Math.min(a.low, b.low), high: Math.max(a.high, b.high) };
}

/**
 * A score's paired difference candidate − baseline over the pairs where both sides have it: for a
 * 0/1 score (checks, task success) Newcombe's paired interval on the flips; otherwise the mean
 * difference with its normal interval from the moments (and, sequentially, the always-valid one).
 */
export function scoreDeltaBounds(
  moments: PairedMoments,
  flips: { readonly gained: number; readonly lost: number } | null,
  sides: Sides,
): Bounds | undefined {
  const n = moments.n;
  if (n === 0) return undefined;
  if (flips !== null) {
    return pairedDeltaBounds(
      { baseline: moments.sumX, candidate: moments.sumY, gained: flips.gained, lost: flips.lost },
      n,
      sides,
    );
  }
  if (n < 2) return undefined;
  const mean = (moments.sumY - moments.sumX) / n;
  const sumSquares = moments.sumYY - 2 * moments.sumXY + moments.sumXX;
  const variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
  const fixed = {
    estimate: mean,
    low: mean - normalQuantile(1 - sides.alphaLow) * Math.sqrt(variance / n),
    high: mean + normalQuantile(1 - sides.alphaHigh) * Math.sqrt(variance / n),
  };
  if (!sides.sequential) return fixed;
  return hull(fixed, {
    estimate: mean,
    low: mean - normalMixtureHalfWidth(n, variance, sides.alphaLow),
    high: mean + normalMixtureHalfWidth(n, variance, sides.alphaHigh),
  });
}

/** Share of tasks calling a tool, candidate − baseline, over `tasks` completed pairs. */
export function toolShareBounds(
  tool: { readonly both: number; readonly gained: number; readonly lost: number },
  tasks: number,
  sides: Sides,
): Bounds | undefined {
  return pairedDeltaBounds(
    {
      baseline: tool.both + tool.lost,
      candidate: tool.both + tool.gained,
      gained: tool.gained,
      lost: tool.lost,
    },
    tasks,
    sides,
  );
}
