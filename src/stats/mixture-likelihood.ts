import { logGamma } from "./log-gamma.js";

/**
 * The two parts of the beta-binomial mixture likelihood ratio
 *
 *   R(p) = [B(a + k, b + n − k) / B(a, b)] / [p^k (1 − p)^(n − k)],
 *
 * written so that neither part cancels away its digits at n = 1e7. Each of ln B(a + k, b + n − k)
 * and k·ln p + (n − k)·ln(1 − p) is about −7e6 there, while ln R, which decides a bound, is about
 * 10: subtracting them directly with the Lanczos `logGamma` moved the bounds by up to 9e-10
 * relative (measured at k = 12, n = 1e7). Split at the maximum-likelihood rate k/n instead,
 *
 *   ln R(p) = [ln m(k) − ℓ(k/n)] + [ℓ(k/n) − ℓ(p)],
 *
 * both parts are O(ln n) sums of positive or small terms.
 */

export interface BetaPrior {
  readonly a: number;
  readonly b: number;
}

/**
 * ln[m(k) / L(k/n)]: the log of the beta-binomial marginal likelihood of k successes in n trials
 * over the largest binomial likelihood L(k/n) = (k/n)^k ((n−k)/n)^(n−k). At most 0, since a
 * mixture of likelihoods cannot exceed their maximum; about −½·ln n for large n. n >= 1.
 *
 * Each ln Γ is written as Stirling's formula plus its remainder μ; the x·ln x parts of
 * ln Γ(a + k), ln Γ(b + n − k) and ln Γ(a + b + n) then cancel against ℓ(k/n) exactly, on paper,
 * leaving only the small terms below.
 */
export function logMarginalOverMaximum(successes: number, trials: number, prior: BetaPrior): number {
  const { a, b } = prior;
  const failures = trials - successes;
  const u = a + successes;
  const v = b + failures;
  const w = a + b + trials;
  return (
    (a - 0.5) * Math.log(u) +
    (b - 0.5) * Math.log(v) -
    (a + b - 0.5) * Math.log(w) +
    (successes > 0 ? successes * Math.log1p(a / successes) : 0) +
    (failures > 0 ? failures * Math.log1p(b / failures) : 0) -
    trials * Math.log1p((a + b) / trials) +
    HALF_LOG_2PI +
    stirlingRemainder(u) +
    stirlingRemainder(v) -
    stirlingRemainder(w) -
    (logGamma(a) + logGamma(b) - logGamma(a + b))
  );
}

/**
 * ln[L(k/n) / L(p)] = k·ln(k/(n·p)) + (n − k)·ln((n − k)/(n·(1 − p))) >= 0, i.e. n times the
 * Kullback–Leibler divergence of Bernoulli(p) from Bernoulli(k/n). Each logarithm is taken as
 * log1p of a relative difference, so a p near k/n gives a small, accurate value (the two terms
 * are ±|k − n·p| and their sum is about (k − n·p)²/(2n·p·(1 − p))). +∞ where p makes the counts
 * impossible (p = 0 with k > 0, p = 1 with k < n).
 */
export function logLikelihoodRatioToMaximum(successes: number, trials: number, p: number): number {
  const failures = trials - successes;
  const expected = trials * p;
  const expectedFailures = trials * (1 - p);
  if ((successes > 0 && expected === 0) || (failures > 0 && expectedFailures === 0)) {
    return Number.POSITIVE_INFINITY;
  }
  const successTerm = successes > 0 ? successes * Math.log1p((successes - expected) / expected) : 0;
  const failureTerm = failures > 0 ? failures * Math.log1p((expected - successes) / expectedFailures) : 0;
  return successTerm + failureTerm;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** From here on the series below is good to 2.2e-16 absolute (its first omitted term, 691/360360x¹¹). */
const SERIES_FROM = 15;

/**
 * μ(x) = ln Γ(x) − [(x − ½)·ln x − x + ½·ln 2π] for real x > 0: `stirlingError` (which is μ at
 * integers) extended to the half-integers a beta prior produces. Binet's asymptotic series
 * 1/12x − 1/360x³ + 1/1260x⁵ − 1/1680x⁷ + 1/1188x⁹ from x = 15; below, the recurrence
 * μ(x) = μ(x + 1) + (x + ½)·ln(1 + 1/x) − 1 climbs there. (ln Γ itself would not do: at x = 14 its
 * ~1e-15 relative error is 3e-14 absolute, next to μ ≈ 0.006.) About 1e-15 absolute everywhere.
 */
export function stirlingRemainder(x: number): number {
  if (!(x > 0)) throw new RangeError(`stirlingRemainder is defined for x > 0, got ${x}`);
  let climbed = 0;
  let at = x;
  for (; at < SERIES_FROM; at += 1) climbed += (at + 0.5) * Math.log1p(1 / at) - 1;
  const inverseSquare = 1 / (at * at);
  return (
    climbed +
    (1 / 12 -
      (1 / 360 - (1 / 1260 - (1 / 1680 - inverseSquare / 1188) * inverseSquare) * inverseSquare) *
        inverseSquare) /
      at
  );
}
