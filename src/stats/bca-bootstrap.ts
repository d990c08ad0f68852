import { type BootstrapOptions, resampledStatistics } from "./bootstrap.js";
import { assertCount, type Interval, twoSidedCriticalValue } from "./interval.js";
import { normalCdf, normalQuantile } from "./normal.js";
import { mean, quantileOfSorted } from "./quantile.js";

/** A BCa interval with the two corrections that moved it away from the percentile interval. */
export interface BcaInterval extends Interval {
  /** z0 = Φ⁻¹(share of resampled means below the estimate, ties counted half). */
  readonly biasCorrection: number;
  /** a, the jackknife estimate of how fast the standard error changes with the mean. */
  readonly acceleration: number;
}

/**
 * Bias-corrected and accelerated bootstrap interval of the mean (Efron 1987, "Better bootstrap
 * confidence intervals", JASA 82:171; Efron & Tibshirani 1993, §14.3 and eq. 15.36). The
 * percentile interval is only first-order accurate; BCa is second-order accurate, reading the
 * resampled means at shifted levels
 *
 *   Φ(z0 + (z0 + z_α) / (1 − a·(z0 + z_α)))  for  z_α = ±Φ⁻¹((1 − c)/2),
 *
 * which corrects for a skewed, biased bootstrap distribution (per-pair latency ratios are right
 * skewed). Same resampling stream as `bootstrapMeanInterval` for a seed, so with z0 = a = 0 the two
 * coincide; same definitions as scipy `bootstrap(method="BCa")`, which draws its own resamples.
 *
 * The jackknife needs the n leave-one-out means, θ₍ᵢ₎ = (Σx − xᵢ)/(n − 1), and their deviations
 * from their own mean, which is x̄: θ̄ − θ₍ᵢ₎ = (xᵢ − x̄)/(n − 1). The (n − 1) factors cancel in
 * a = Σ(θ̄ − θ₍ᵢ₎)³ / (6·(Σ(θ̄ − θ₍ᵢ₎)²)^(3/2)), so a = Σdᵢ³ / (6·(Σdᵢ²)^(3/2)) with dᵢ = xᵢ − x̄:
 * O(n), and without subtracting n nearly equal means.
 *
 * Degenerate cases are answered, not left to NaN: a constant sample gives the point [x, x] (no
 * resampling can move it); a share of 0 or 1 (every resample on one side, possible only with very
 * few resamples) is moved half a resample inwards, the finest share the resamples can express;
 * and where 1 − a·(z0 + z_α) <= 0, beyond which the formula wraps around, the level is its limit,
 * 0 or 1. Undefined for an empty sample.
 */
export function bcaBootstrapMeanInterval(
  values: readonly number[],
  options: BootstrapOptions,
): BcaInterval | undefined {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const zTail = -twoSidedCriticalValue(confidence);
  assertCount("resamples", resamples);
  if (resamples === 0) throw new RangeError("a bootstrap needs at least one resample");
  if (!Number.isSafeInteger(options.seed)) {
    throw new RangeError(`bootstrap seed must be an integer, got ${options.seed}`);
  }
  values.forEach((value, index) => {
    if (!Number.isFinite(value))
      throw new RangeError(`bootstrap values[${index}] must be finite, got ${value}`);
  });
  const first = values[0];
  if (first === undefined) return undefined;
  if (values.every((value) => value === first)) {
    return { estimate: first, low: first, high: first, biasCorrection: 0, acceleration: 0 };
  }
  const estimate = mean(values);
  const means = resampledStatistics(values, resamples, options.seed, mean).sort();
  let below = 0;
  let tied = 0;
  for (const resampled of means) {
    if (resampled < estimate) below++;
    else if (resampled === estimate) tied++;
  }
  const halfResample = 0.5 / resamples;
  const share = Math.min(1 - halfResample, Math.max(halfResample, (below + tied / 2) / resamples));
  const biasCorrection = normalQuantile(share);
  let cubes = 0;
  let squares = 0;
  for (const value of values) {
    const deviation = value - estimate;
    squares += deviation * deviation;
    cubes += deviation * deviation * deviation;
  }
  const acceleration = cubes / (6 * squares ** 1.5);
  return {
    estimate,
    low: quantileOfSorted(means, adjustedLevel(biasCorrection, acceleration, zTail)),
    high: quantileOfSorted(means, adjustedLevel(biasCorrection, acceleration, -zTail)),
    biasCorrection,
    acceleration,
  };
}

/** The BCa level for the normal quantile z, with the wrap-around beyond a pole cut at its limit. */
function adjustedLevel(biasCorrection: number, acceleration: number, z: number): number {
  const shifted = biasCorrection + z;
  const denominator = 1 - acceleration * shifted;
  if (denominator <= 0) return shifted > 0 ? 1 : 0;
  return normalCdf(biasCorrection + shifted / denominator);
}
