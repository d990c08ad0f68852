import { normalSurvival } from "./normal.js";

export interface SignedRankResult {
  /** Non-zero differences used. */
  readonly n: number;
  /** min(W+, W-), as scipy reports for the two-sided test. */
  readonly statistic: number;
  readonly pValue: number;
  readonly method: "exact" | "normal";
}

/**
 * Wilcoxon signed-rank test of paired differences (here: per-pair log ratios) against zero,
 * two-sided, as `scipy.stats.wilcoxon` does by default: zero differences are dropped ("wilcox"),
 * tied magnitudes get average ranks; the exact null distribution is used for n <= 50 without
 * ties, otherwise the normal approximation with the tie-corrected variance and no continuity
 * correction.
 */
export function wilcoxonSignedRank(differences: readonly number[]): SignedRankResult {
  const nonZero = differences.filter((difference) => difference !== 0);
  const n = nonZero.length;
  if (n === 0) return { n, statistic: 0, pValue: 1, method: "exact" };
  const order = nonZero
    .map((difference, index) => ({ size: Math.abs(difference), index }))
    .sort((a, b) => a.size - b.size);
  const ranks = new Array<number>(n);
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (
      end + 1 < n &&
      (order[end + 1] as { size: number }).size === (order[start] as { size: number }).size
    )
      end++;
    const averageRank = (start + end) / 2 + 1;
    for (let at = start; at <= end; at++) ranks[(order[at] as { index: number }).index] = averageRank;
    const tied = end - start + 1;
    if (tied > 1) tieTerm += tied * tied * tied - tied;
    start = end + 1;
  }
  let positive = 0;
  nonZero.forEach((difference, index) => {
    if (difference > 0) positive += ranks[index] as number;
  });
  const total = (n * (n + 1)) / 2;
  const statistic = Math.min(positive, total - positive);
  if (n <= 50 && tieTerm === 0) {
    return { n, statistic, pValue: Math.min(1, 2 * exactLowerTail(n, statistic)), method: "exact" };
  }
  const meanW = total / 2;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const z = (statistic - meanW) / Math.sqrt(variance);
  return { n, statistic, pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))), method: "normal" };
}

/** P(W+ <= w) under the null for ranks 1..n, by counting subsets with each rank sum. */
function exactLowerTail(n: number, w: number): number {
  const maxSum = (n * (n + 1)) / 2;
  let counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let rank = 1; rank <= n; rank++) {
    const next = counts.slice();
    for (let sum = rank; sum <= maxSum; sum++)
      next[sum] = (next[sum] as number) + (counts[sum - rank] as number);
    counts = next;
  }
  let below = 0;
  for (let sum = 0; sum <= Math.floor(w); sum++) below += counts[sum] as number;
  return below / 2 ** n;
}
