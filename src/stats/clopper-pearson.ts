import { assertLevel, assertSuccesses } from "./arguments.js";
import { binomialCdf, binomialSurvival } from "./binomial.js";
import { bisectEdge } from "./bisect.js";

/** Lower and upper confidence bounds for a rate; each holds at its own one-sided level. */
export interface RateBounds {
  readonly low: number;
  readonly high: number;
}

/**
 * Exact one-sided bounds for a binomial rate (Clopper & Pearson 1934, Biometrika 26:404), at two
 * separate levels because a gate adjusts only the side it decides on for multiplicity:
 *
 * - `low` is the p with P(X >= k | p) = alphaLow, so P(low > true p) <= alphaLow; 0 when k = 0.
 * - `high` is the p with P(X <= k | p) = alphaHigh, so P(high < true p) <= alphaHigh; 1 when k = n.
 *
 * These are the beta quantiles Beta⁻¹(alphaLow; k, n − k + 1) and Beta⁻¹(1 − alphaHigh; k + 1,
 * n − k) (scipy's `beta.ppf`), because P(X >= k | p) = I_p(k, n − k + 1). They are found here by
 * bisecting the binomial tails themselves, which are accurate to about 1e-12 relative up to
 * n = 1e7 and down to tails far below 1e-6: a tail is steep in p at its root, so the bound is
 * good to about 1e-14 relative. Zero trials give the vacuous {0, 1}.
 *
 * A bound costs at most 64 tail evaluations (see bisect.ts), each O(√(n·p·(1−p))) terms: about
 * 4 ms at n = 1e7, p = ½, and well under 1 ms at n = 1e5.
 */
export function clopperPearsonBounds(
  successes: number,
  trials: number,
  alphaLow: number,
  alphaHigh: number,
): RateBounds {
  assertSuccesses(successes, trials);
  assertLevel("alphaLow", alphaLow);
  assertLevel("alphaHigh", alphaHigh);
  const low =
    successes === 0
      ? 0
      : // A p is inside the set while seeing k or more successes is still at least alphaLow likely.
        bisectEdge((p) => binomialSurvival(successes - 1, trials, p) >= alphaLow, 1, 0);
  const high =
    successes === trials ? 1 : bisectEdge((p) => binomialCdf(successes, trials, p) >= alphaHigh, 0, 1);
  return { low, high };
}
