import { assertLevel, assertSuccesses } from "./arguments.js";
import { bisectEdge, firstInteger, lastInteger } from "./bisect.js";
import type { RateBounds } from "./clopper-pearson.js";
import { assertCount } from "./interval.js";
import { type BetaPrior, logLikelihoodRatioToMaximum, logMarginalOverMaximum } from "./mixture-likelihood.js";

/**
 * An always-valid confidence sequence for a Bernoulli rate: bounds a gate may recompute after
 * every new pair and stop on whenever it likes, still with error probability at most alpha over
 * the whole stream (Robbins 1970, "Statistical methods related to the law of the iterated
 * logarithm", Ann. Math. Statist. 41:1397; Lai 1976, "On confidence sequences", Ann. Statist.
 * 4:265).
 *
 * Under a true rate p the beta-binomial mixture likelihood ratio
 *
 *   R_n(p) = [B(a + k, b + n − k) / B(a, b)] / [p^k (1 − p)^(n − k)]
 *
 * is a non-negative martingale with mean 1 (it is ∫ Π θ^x (1−θ)^(1−x) / Π p^x (1−p)^(1−x) over a
 * Beta(a, b) prior on θ), so by Ville's inequality (1939) P(R_n(p) >= 1/α for some n) <= α. The
 * confidence sequence is {p : R_n(p) < 1/α}. Validity holds for any fixed prior; the prior only
 * decides where the sequence is tightest.
 */

/**
 * Beta(½, ½), the Jeffreys prior: it puts more weight near 0 and 1 than the uniform prior, which
 * is where a gate's error and refusal rates live, so those bounds come out tighter; any other
 * prior fixed before seeing data would be equally valid.
 */
export const MIXING_PRIOR: BetaPrior = { a: 0.5, b: 0.5 };

/**
 * The confidence sequence's interval for k successes in n trials: the p with R_n(p) < 1/alpha.
 * ln R_n is convex in p with its minimum at the MLE k/n (where R_n <= 1 always), so the set is an
 * interval around k/n; its ends are bisected in log space (see mixture-likelihood.ts for why the
 * log ratio is split at k/n). k = 0 and k = n have closed forms: the upper end at k = 0 is
 * 1 − exp(−c/n) with c = ln(1/α) − ln m(0), e.g. 1 − (51·20)^(−1/50) for n = 50, α = 0.05 under
 * the uniform prior. Zero trials give {0, 1}. Both ends hold together at level alpha.
 */
export function betaBinomialMixtureBounds(
  successes: number,
  trials: number,
  alpha: number,
  prior: BetaPrior = MIXING_PRIOR,
): RateBounds {
  assertSuccesses(successes, trials);
  assertLevel("alpha", alpha);
  assertPrior(prior);
  if (trials === 0) return { low: 0, high: 1 };
  // p is inside while ln L(k/n) − ln L(p) stays below this budget.
  const budget = -Math.log(alpha) - logMarginalOverMaximum(successes, trials, prior);
  if (successes === 0) return { low: 0, high: -Math.expm1(-budget / trials) };
  if (successes === trials) return { low: Math.exp(-budget / trials), high: 1 };
  const isInside = (p: number) => logLikelihoodRatioToMaximum(successes, trials, p) < budget;
  const rate = successes / trials;
  return { low: bisectEdge(isInside, rate, 0), high: bisectEdge(isInside, rate, 1) };
}

/** An inclusive range of counts. */
export interface CountRange {
  readonly low: number;
  readonly high: number;
}

/**
 * For a known rate p, the counts k in 0..n (inclusive range) with R_n(p) < 1/alpha: the counts of
 * successes that the confidence sequence would not reject p at. By the same martingale argument,
 * the running count of a Bernoulli(p) stream stays in this range at every n at once with
 * probability at least 1 − alpha. ln R_n is convex in k (ln B is convex and the rest linear), so
 * the range is the stretch of integers around its minimum, which is within a step or two of n·p
 * and where R_n <= 1 (its mean over k ~ Binomial(n, p) is exactly 1), so the range is never empty.
 */
export function betaBinomialMixtureCountRange(
  trials: number,
  p: number,
  alpha: number,
  prior: BetaPrior = MIXING_PRIOR,
): CountRange {
  assertCount("trials", trials);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  assertLevel("alpha", alpha);
  assertPrior(prior);
  if (trials === 0 || p === 0) return { low: 0, high: 0 };
  if (p === 1) return { low: trials, high: trials };
  const logRatio = (k: number) =>
    logMarginalOverMaximum(k, trials, prior) + logLikelihoodRatioToMaximum(k, trials, p);
  const threshold = -Math.log(alpha);
  let lowest = Math.min(trials, Math.max(0, Math.round(trials * p)));
  while (lowest > 0 && logRatio(lowest - 1) < logRatio(lowest)) lowest--;
  while (lowest < trials && logRatio(lowest + 1) < logRatio(lowest)) lowest++;
  const isInside = (k: number) => logRatio(k) < threshold;
  // The minimum itself is always inside (R <= 1 < 1/alpha there), so neither search comes back empty.
  return {
    low: firstInteger(isInside, 0, lowest) ?? lowest,
    high: lastInteger(isInside, lowest, trials) ?? lowest,
  };
}

function assertPrior(prior: BetaPrior): void {
  if (!(prior.a > 0 && prior.b > 0 && Number.isFinite(prior.a) && Number.isFinite(prior.b))) {
    throw new RangeError(`a beta prior needs a > 0 and b > 0, got a = ${prior.a}, b = ${prior.b}`);
  }
}
