import { assertCount, type Interval, twoSidedCriticalValue } from "./interval.js";
import { mean, quantileOfSorted } from "./quantile.js";

export interface BootstrapOptions {
  /** Resamples drawn; 2000 puts the 2.5% and 97.5% percentiles on ~50 draws each. */
  readonly resamples?: number;
  readonly confidence?: number;
  /** Fixed seed: the same sample always gives the same interval, so a report is reproducible. */
  readonly seed: number;
}

/**
 * Percentile bootstrap interval of the mean (Efron & Tibshirani 1993, ch. 13): resample the
 * values with replacement, take the mean of each resample, and read the interval off the
 * (1−c)/2 and (1+c)/2 quantiles (type 7) of those means. Used on per-pair log ratios, where the
 * mean log ratio, exponentiated, is the geometric-mean ratio of candidate to baseline; it makes no
 * normality assumption, which matters for heavy-tailed latency. Undefined for an empty sample.
 */
export function bootstrapMeanInterval(
  values: readonly number[],
  options: BootstrapOptions,
): Interval | undefined {
  return bootstrapInterval(values, options, mean);
}

/** As `bootstrapMeanInterval`, for the median: robust to a few huge ratios. */
export function bootstrapMedianInterval(
  values: readonly number[],
  options: BootstrapOptions,
): Interval | undefined {
  return bootstrapInterval(values, options, (sample) => quantileOfSorted(sample.sort(), 0.5));
}

/**
 * A log-ratio interval as a ratio interval (exp is monotone, so the bounds map to bounds): a
 * mean log ratio of 0.223 [0.1, 0.35] is a ratio of 1.25 [1.105, 1.419], i.e. 25% more.
 */
export function ratioInterval(logInterval: Interval): Interval {
  return {
    estimate: Math.exp(logInterval.estimate),
    low: Math.exp(logInterval.low),
    high: Math.exp(logInterval.high),
  };
}

/** `statistic` may reorder the scratch array it is given. */
function bootstrapInterval(
  values: readonly number[],
  options: BootstrapOptions,
  statistic: (sample: Float64Array) => number,
): Interval | undefined {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  twoSidedCriticalValue(confidence);
  assertCount("resamples", resamples);
  if (resamples === 0) throw new RangeError("a bootstrap needs at least one resample");
  if (!Number.isSafeInteger(options.seed)) {
    throw new RangeError(`bootstrap seed must be an integer, got ${options.seed}`);
  }
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`bootstrap values must be finite, got ${value}`);
  }
  const n = values.length;
  if (n === 0) return undefined;
  const estimates = resampledStatistics(values, resamples, options.seed, statistic).sort();
  const tail = (1 - confidence) / 2;
  return {
    estimate: statistic(Float64Array.from(values)),
    low: quantileOfSorted(estimates, tail),
    high: quantileOfSorted(estimates, 1 - tail),
  };
}

/**
 * The statistic of `resamples` resamples with replacement, drawn from one mulberry32 stream: every
 * bootstrap here (percentile and BCa) draws the same resamples for a seed. `statistic` may reorder
 * the scratch array it is given.
 */
export function resampledStatistics(
  values: readonly number[],
  resamples: number,
  seed: number,
  statistic: (sample: Float64Array) => number,
): Float64Array {
  const n = values.length;
  const random = mulberry32(seed);
  const scratch = new Float64Array(n);
  const estimates = new Float64Array(resamples);
  for (let round = 0; round < resamples; round++) {
    for (let draw = 0; draw < n; draw++) scratch[draw] = values[Math.floor(random() * n)] as number;
    estimates[round] = statistic(scratch);
  }
  return estimates;
}

/**
 * mulberry32 (Tommy Ettinger, 2017): a 32-bit-state generator, uniform in [0, 1) at 2⁻³² spacing.
 * Small and fast, and good enough for resampling indices; chosen for exact reproducibility across
 * platforms (it uses only 32-bit integer arithmetic), not for cryptographic strength.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
