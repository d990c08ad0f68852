import { assertFinite } from "./arguments.js";
import type { PairedMoments } from "./paired-moments.js";
import { studentQuantile } from "./student-t.js";

/** Third-order power sums of paired, non-negative observations (x = baseline, y = candidate). */
export interface ThirdMoments {
  readonly sumXXX: number;
  readonly sumXXY: number;
  readonly sumXYY: number;
  readonly sumYYY: number;
}

/**
 * Skewness of d = y − R·x at ratio R, from power sums up to the third order (the plug-in
 * m₃ / m₂^1.5). Fieller's bound treats the mean of d as normal; a right-skewed d (a few tasks that
 * loop at many times the cost) leaves its upper bound short and its lower bound long. null when
 * the spread is 0.
 */
export function differenceSkewness(
  moments: PairedMoments,
  third: ThirdMoments,
  ratio: number,
): number | null {
  const n = moments.n;
  if (n < 3) return null;
  const r = ratio;
  const mean = (moments.sumY - r * moments.sumX) / n;
  const second = (moments.sumYY - 2 * r * moments.sumXY + r * r * moments.sumXX) / n;
  const rawThird =
    (third.sumYYY - 3 * r * third.sumXYY + 3 * r * r * third.sumXXY - r * r * r * third.sumXXX) / n;
  const variance = second - mean * mean;
  if (!(variance > 0)) return null;
  const centralThird = rawThird - 3 * mean * second + 2 * mean ** 3;
  return centralThird / variance ** 1.5;
}

/**
 * Critical values for Fieller's two bounds of R (see fieller.ts), corrected for the skewness γ of
 * d = y − R·x by Hall's transformation of the studentized mean (Hall 1992, "On the removal of
 * skewness by transformation", J. R. Stat. Soc. B 54:221). With T = (d̄ − E[d]) / s,
 *
 *   g(T) = T + γT²/3 + γ²T³/27 + γ/(6n) = ((1 + γT/3)³ − 1)/γ + γ/(6n)
 *
 * is monotone in T, and √n·g(T) is normal up to O(1/n): its n^(−1/2) skewness term cancels that
 * of the studentized mean, P(√n·T <= x) = Φ(x) + γ(2x² + 1)φ(x)/(6√n) + O(1/n) (Hall 1983).
 * A bound misses when √n·T(R) passes a critical value, so each critical value is the t-quantile
 * pulled back through g: zLow = √n·g⁻¹(t_{1−αLow}/√n), zHigh = −√n·g⁻¹(−t_{1−αHigh}/√n).
 * With γ > 0 the upper bound widens and the lower one narrows (γ < 0: the reverse), so the fail
 * side of a right-skewed cost is no longer conservative. Student's t with n − 1 degrees of
 * freedom, not the normal, is the base: it is exact for normal d, and with every
 * task ×1.25 (heavy-tailed, mildly skewed d) at 30 pairs it brought the misses from 3.6% / 3.1%
 * (upper / lower, normal base) to 3.2% / 2.5%.
 *
 * Measured (bench/gate-validity/cost-coverage.ts, 40,000 seeded runs a cell, ±0.08) with a
 * quarter of tasks at twice the cost, upper bound at 2.5%: 2.2 / 2.5 / 2.6 / 2.4% at 30 / 200 /
 * 1,000 / 4,000 pairs (first-order Cornish–Fisher, widening only: 3.7 / 2.7 / 2.6 / 2.5%); lower
 * bound at 2.5%/6: 0.15 / 0.38 / 0.42 / 0.36% (was 0.14 / 0.18 / 0.30 / 0.30%). See
 * docs/SEMANTICS.md for the other cells and what remains.
 * γ = 0 gives Student's t itself. Needs n >= 2.
 */
export function skewCorrectedCriticalValues(
  alphaLow: number,
  alphaHigh: number,
  skewness: number,
  n: number,
): { zLow: number; zHigh: number } {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`needs n >= 2 pairs, got ${n}`);
  assertFinite("skewness", skewness);
  const root = Math.sqrt(n);
  const tLow = studentQuantile(1 - alphaLow, n - 1);
  const tHigh = studentQuantile(1 - alphaHigh, n - 1);
  // A critical value below 0 would put a bound on the wrong side of the estimate; it needs
  // t < |γ|/(6√n), far inside any level a gate or report uses.
  return {
    zLow: Math.max(0, root * hallInverse(tLow / root, skewness, n)),
    zHigh: Math.max(0, -root * hallInverse(-tHigh / root, skewness, n)),
  };
}

/**
 * g⁻¹(y) = (3/γ)(∛(1 + γu) − 1) with u = y − γ/(6n). Through log1p / expm1 while 1 + γu > 0, so
 * a γ near 0 loses no digits (the limit is u itself); the cube root of a negative number past that.
 */
export function hallInverse(y: number, skewness: number, n: number): number {
  const u = y - skewness / (6 * n);
  if (skewness === 0) return u;
  const scaled = skewness * u;
  const cubeRootMinusOne = scaled > -1 ? Math.expm1(Math.log1p(scaled) / 3) : Math.cbrt(1 + scaled) - 1;
  return (3 * cubeRootMinusOne) / skewness;
}
