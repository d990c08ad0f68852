import { twoSidedCriticalValue } from "./interval.js";

/** A rate with its Wilson interval, or, with no trials, explicitly no rate at all. */
export type RateInterval = ObservedRate | NoTrials;

export interface ObservedRate {
  readonly trials: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Zero trials say nothing: there is no rate (`null`, so a caller cannot mistake it for 0%), and
 * the bounds are the vacuous [0, 1], which is the honest interval for a caller that wants bounds.
 */
export interface NoTrials {
  readonly trials: 0;
  readonly rate: null;
  readonly low: 0;
  readonly high: 1;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927): the set of rates θ whose score
 * test |p − θ| / √(θ(1−θ)/n) <= z accepts the observed p = k/n. Unlike the Wald interval it keeps
 * its coverage at small n and near 0 and 1, which is where drift and error rates live. Same values
 * as statsmodels `proportion_confint(k, n, method="wilson")`.
 *
 * The two roots are taken in a cancellation-free way: the outer root directly, the inner one from
 * the product of the roots (p² / (1 + z²/n)), computed for whichever of successes and failures is
 * the minority; so k = 0 gives exactly 0 and k = n exactly 1.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): RateInterval {
  if (!(Number.isFinite(trials) && trials >= 0 && successes >= 0 && successes <= trials)) {
    throw new RangeError(`Wilson interval needs 0 <= successes <= trials, got ${successes} of ${trials}`);
  }
  const z = twoSidedCriticalValue(confidence);
  if (trials === 0) return { trials: 0, rate: null, low: 0, high: 1 };
  return { trials, rate: successes / trials, ...wilsonBoundsAt(successes, trials, z) };
}

/** The Wilson bounds at critical value z (the noise floor bisects on z); trials 0 gives [0, 1]. */
export function wilsonBoundsAt(successes: number, trials: number, z: number): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  if (successes <= trials / 2) {
    const [low, high] = minorityBounds(successes, trials, z);
    return { low, high };
  }
  const [failureLow, failureHigh] = minorityBounds(trials - successes, trials, z);
  return { low: 1 - failureHigh, high: 1 - failureLow };
}

/** Wilson bounds for a rate of at most ½. */
function minorityBounds(count: number, trials: number, z: number): [number, number] {
  const p = count / trials;
  const zSquaredPerTrial = (z * z) / trials;
  const denominator = 1 + zSquaredPerTrial;
  const centre = (p + zSquaredPerTrial / 2) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / trials + zSquaredPerTrial / (4 * trials))) / denominator;
  const high = centre + margin;
  return [count === 0 ? 0 : (p * p) / (denominator * high), Math.min(1, high)];
}
