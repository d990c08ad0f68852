/**
 * Running sums of paired observations (x = baseline, y = candidate, one pair per request), from
 * which a ratio of means and its bounds are computed without keeping the pairs: a store query or a
 * streaming reader maintains them in one pass.
 */
export interface PairedMoments {
  readonly n: number;
  readonly sumX: number;
  readonly sumY: number;
  readonly sumXX: number;
  readonly sumYY: number;
  readonly sumXY: number;
}

/** Means and sample covariances (n − 1 denominator) of at least two pairs. */
export interface PairedSummary {
  readonly n: number;
  readonly meanX: number;
  readonly meanY: number;
  readonly varianceX: number;
  readonly varianceY: number;
  readonly covariance: number;
}

/**
 * Validates the moments and summarizes them; undefined below two pairs, where no variance exists.
 * Raw sums lose digits when the spread is small next to the mean (Σx² − (Σx)²/n cancels), so a
 * variance that rounding leaves slightly negative is taken as 0 rather than passed on.
 */
export function summarizePairs(moments: PairedMoments): PairedSummary | undefined {
  const { n, sumX, sumY, sumXX, sumYY, sumXY } = moments;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`paired moments n must be a non-negative integer, got ${n}`);
  }
  for (const [name, value] of Object.entries({ sumX, sumY, sumXX, sumYY, sumXY })) {
    if (!Number.isFinite(value)) throw new RangeError(`paired moment ${name} must be finite, got ${value}`);
  }
  if (sumXX < 0 || sumYY < 0) {
    throw new RangeError(`sums of squares cannot be negative, got sumXX = ${sumXX}, sumYY = ${sumYY}`);
  }
  if (n < 2) return undefined;
  const meanX = sumX / n;
  const meanY = sumY / n;
  return {
    n,
    meanX,
    meanY,
    varianceX: Math.max(0, (sumXX - sumX * meanX) / (n - 1)),
    varianceY: Math.max(0, (sumYY - sumY * meanY) / (n - 1)),
    covariance: (sumXY - sumX * meanY) / (n - 1),
  };
}

/** V(R) = Var(y − R·x) per observation = Syy − 2R·Sxy + R²·Sxx, floored at 0 against rounding. */
export function differenceVariance(summary: PairedSummary, ratio: number): number {
  return Math.max(0, summary.varianceY - 2 * ratio * summary.covariance + ratio * ratio * summary.varianceX);
}
