import { assertFinite } from "./arguments.js";
import type { Interval } from "./interval.js";
import { differenceVariance, type PairedMoments, summarizePairs } from "./paired-moments.js";

/**
 * Bounds for the ratio of two paired means, R = E[y] / E[x] (candidate over baseline cost or
 * latency), by Fieller's theorem (Fieller 1954, "Some problems in interval estimation", J. R.
 * Stat. Soc. B 16:175). For the true R, ȳ − R·x̄ has mean 0 and variance V(R)/n with
 * V(R) = Syy − 2R·Sxy + R²·Sxx, so the R that a z-test does not reject solve
 *
 *   (ȳ − R·x̄)² <= z²·V(R)/n,
 *
 * a quadratic in R. Unlike the delta method (ratio ± z·se), this keeps its coverage when the
 * baseline mean is noisy, and says so when it is too noisy: then the set is unbounded.
 *
 * `low` is the lower root at critical value zLow (so P(low > R) <= Φ(−zLow) asymptotically),
 * `high` the upper root at zHigh. A side is −∞ / +∞ when the baseline mean is not significantly
 * positive at that z, x̄ − z·√(Sxx/n) <= 0 (equivalently x̄² − z²·Sxx/n <= 0 for x̄ > 0): the
 * Fieller set is then unbounded. Undefined with fewer than two pairs or a baseline mean <= 0,
 * where a ratio of means has no meaning for cost or latency.
 */
export function fiellerBounds(moments: PairedMoments, zLow: number, zHigh: number): Interval | undefined {
  assertCriticalValue("zLow", zLow);
  assertCriticalValue("zHigh", zHigh);
  const summary = summarizePairs(moments);
  if (summary === undefined || !(summary.meanX > 0)) return undefined;
  const { n, meanX, meanY, varianceX, varianceY, covariance } = summary;
  const estimate = moments.sumY / moments.sumX;
  const roots = (z: number): [number, number] | undefined => {
    if (meanX - z * Math.sqrt(varianceX / n) <= 0) return undefined;
    const zSquaredOverN = (z * z) / n;
    // A·R² − 2B·R + C = 0.
    const a = meanX * meanX - zSquaredOverN * varianceX;
    const b = meanX * meanY - zSquaredOverN * covariance;
    const c = meanY * meanY - zSquaredOverN * varianceY;
    // B² − AC, expanded so that the x̄²ȳ² terms cancel on paper instead of in floating point:
    // z²/n · x̄²·V(R̂) − (z²/n)² · (Sxx·Syy − Sxy²).
    const discriminant = Math.max(
      0,
      zSquaredOverN * meanX * meanX * differenceVariance(summary, estimate) -
        zSquaredOverN * zSquaredOverN * (varianceX * varianceY - covariance * covariance),
    );
    // The root away from 0 from B ± √disc without cancellation, the other from the product C/A.
    const q = b >= 0 ? b + Math.sqrt(discriminant) : b - Math.sqrt(discriminant);
    if (q === 0) return [0, 0];
    const [first, second] = [q / a, c / q];
    return first <= second ? [first, second] : [second, first];
  };
  return {
    estimate,
    low: roots(zLow)?.[0] ?? Number.NEGATIVE_INFINITY,
    high: roots(zHigh)?.[1] ?? Number.POSITIVE_INFINITY,
  };
}

function assertCriticalValue(name: string, z: number): void {
  assertFinite(name, z);
  if (z < 0) throw new RangeError(`${name} must be a critical value >= 0 (e.g. 1.96), got ${z}`);
}
