import { normalSurvival } from "./normal.js";

export interface SignedRankOptions {
  /**
   * "auto" (default): the exact null distribution when at most 25 non-zero differences remain and
   * their magnitudes have no ties, else the normal approximation. "exact" forces the exact
   * distribution (with ties, a tied statistic is rounded conservatively, as scipy does); it costs
   * O(n³) time, so keep it to small samples.
   */
  readonly method?: "auto" | "exact" | "normal";
  /** Shift |W − mean| by ½ towards 0 in the normal approximation. Off by default, as in scipy. */
  readonly continuityCorrection?: boolean;
}

export interface SignedRankResult {
  /** Non-zero differences used (zeros are dropped). */
  readonly n: number;
  /** Zero differences dropped. */
  readonly zeros: number;
  /** min(W+, W−), as scipy reports for the two-sided test. */
  readonly statistic: number;
  /** Standardized statistic, −|z|, for the normal approximation only (scipy's `zstatistic`). */
  readonly z?: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  readonly method: "exact" | "normal";
}

/** Beyond this many differences "auto" uses the normal approximation (see SignedRankOptions). */
const EXACT_UP_TO = 25;

/**
 * Wilcoxon signed-rank test that paired differences (here per-pair log ratios of cost or latency)
 * are symmetric about 0, two-sided. As `scipy.stats.wilcoxon` with its defaults
 * (zero_method="wilcox", correction=False): zero differences are dropped, tied magnitudes get
 * their average rank, and the normal approximation uses the tie-corrected variance
 * n(n+1)(2n+1)/24 − Σ(t³ − t)/48. The exact branch equals scipy's method="exact".
 * With no non-zero difference there is nothing to test: statistic 0, p = 1.
 */
export function wilcoxonSignedRank(
  differences: readonly number[],
  options: SignedRankOptions = {},
): SignedRankResult {
  for (const difference of differences) {
    if (!Number.isFinite(difference)) {
      throw new RangeError(`signed-rank differences must be finite numbers, got ${difference}`);
    }
  }
  const nonZero = differences.filter((difference) => difference !== 0);
  const n = nonZero.length;
  const zeros = differences.length - n;
  if (n === 0) return { n, zeros, statistic: 0, pValue: 1, method: "exact" };
  const { ranks, tieSum } = averageRanks(nonZero.map(Math.abs));
  let positiveRankSum = 0;
  nonZero.forEach((difference, index) => {
    if (difference > 0) positiveRankSum += ranks[index] as number;
  });
  const rankTotal = (n * (n + 1)) / 2;
  const statistic = Math.min(positiveRankSum, rankTotal - positiveRankSum);
  const method = options.method ?? "auto";
  if (method === "exact" || (method === "auto" && n <= EXACT_UP_TO && tieSum === 0)) {
    // With ties the statistic can be fractional; like scipy, round it up (towards the centre),
    // which can only raise p: conservative.
    const lowerTail = exactRankSumCdf(n, Math.ceil(statistic));
    return { n, zeros, statistic, pValue: Math.min(1, 2 * lowerTail), method: "exact" };
  }
  const centre = rankTotal / 2;
  const standardDeviation = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieSum / 48);
  const rawDistance = Math.abs(positiveRankSum - centre);
  const distance =
    options.continuityCorrection === true && rawDistance > 0 ? Math.abs(rawDistance - 0.5) : rawDistance;
  const z = -distance / standardDeviation;
  return { n, zeros, statistic, z, pValue: 2 * normalSurvival(-z), method: "normal" };
}

/** 1-based ranks with ties averaged, and Σ(t³ − t) over groups of t tied values. */
function averageRanks(values: readonly number[]): { ranks: number[]; tieSum: number } {
  const order = values.map((_, index) => index).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Array<number>(values.length);
  let tieSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end] as number] === values[order[start] as number]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let at = start; at < end; at++) ranks[order[at] as number] = averageRank;
    const tied = end - start;
    tieSum += tied * tied * tied - tied;
    start = end;
  }
  return { ranks, tieSum };
}

/**
 * P(W+ <= w) under the null, where each rank 1..n joins W+ with probability ½ independently:
 * the distribution is built rank by rank (as probabilities, so it cannot overflow for any n).
 */
function exactRankSumCdf(n: number, w: number): number {
  const maxSum = (n * (n + 1)) / 2;
  if (w >= maxSum) return 1;
  if (w < 0) return 0;
  const probability = new Float64Array(maxSum + 1);
  probability[0] = 1;
  let reachable = 0;
  for (let rank = 1; rank <= n; rank++) {
    reachable += rank;
    for (let sum = reachable; sum >= 0; sum--) {
      const without = probability[sum] as number;
      const withRank = sum >= rank ? (probability[sum - rank] as number) : 0;
      probability[sum] = (without + withRank) / 2;
    }
  }
  let cumulative = 0;
  for (let sum = 0; sum <= w; sum++) cumulative += probability[sum] as number;
  return cumulative;
}
