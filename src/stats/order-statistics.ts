import { assertLevel } from "./arguments.js";
import { betaBinomialMixtureCountRange } from "./beta-binomial-mixture.js";
import { binomialCdf, binomialSurvival } from "./binomial.js";
import { firstInteger, lastInteger } from "./bisect.js";
import { assertCount } from "./interval.js";

/**
 * Distribution-free confidence bounds for a quantile q_p (a p95 latency, say) as order statistics:
 * ranks such that the low-th smallest observation is below q_p, and the high-th above it, with
 * stated error probabilities for any continuous distribution. Null where the sample is too small
 * for the level: no rank works, and pretending otherwise would overstate what the data say.
 */
export interface OrderStatisticRanks {
  /** 1-based rank of the lower bound, or null. */
  readonly low: number | null;
  /** 1-based rank of the upper bound, or null. */
  readonly high: number | null;
}

/**
 * Fixed-n ranks (Thompson 1936; David & Nagaraja, Order Statistics, 3rd ed., §7.1): the count of
 * observations at or below q_p is Binomial(n, p), and X_(l) > q_p exactly when fewer than l are,
 * so P(X_(l) > q_p) = P(Bin(n, p) <= l − 1); likewise P(X_(u) < q_p) = P(Bin(n, p) >= u). Hence
 *
 *   low  = max{l >= 1 : P(Bin(n, p) <= l − 1) <= alphaLow},
 *   high = min{u <= n : P(Bin(n, p) >= u) <= alphaHigh},
 *
 * each the tightest rank at its level; null if none (e.g. low for n = 10 at p = 0.95: even X_(1)
 * exceeds q_p with probability 0.95¹⁰ = 0.6). Exact, not asymptotic, at any n.
 */
export function orderStatisticRanks(
  n: number,
  p: number,
  alphaLow: number,
  alphaHigh: number,
): OrderStatisticRanks {
  assertCount("n", n);
  assertQuantileLevel(p);
  assertLevel("alphaLow", alphaLow);
  assertLevel("alphaHigh", alphaHigh);
  if (n === 0) return { low: null, high: null };
  // P(Bin <= l − 1) grows with l, and P(Bin >= u) shrinks with u: bisect over ranks.
  const lowAdmissible = (rank: number) => binomialCdf(rank - 1, n, p) <= alphaLow;
  const highAdmissible = (rank: number) => binomialSurvival(rank - 1, n, p) <= alphaHigh;
  return { low: lastInteger(lowAdmissible, 1, n), high: firstInteger(highAdmissible, 1, n) };
}

/**
 * Ranks valid at every n at once with probability at least 1 − alpha (both sides together), so a
 * p95 bound may be recomputed after every pair and acted on whenever it first excludes a limit.
 *
 * Derivation: let C_n be the number of the first n observations at or below q_p. For a continuous
 * distribution the observations fall there independently with probability p, so C_n is the
 * running count of a Bernoulli(p) stream, and `betaBinomialMixtureCountRange(n, p, alpha)` holds
 * C_n for every n at once with probability >= 1 − alpha (Ville's inequality on the beta-binomial
 * mixture martingale). On that event, with [c, d] the range at n:
 *
 * - C_n >= c: at least c observations are <= q_p, so X_(c) <= q_p; the lower rank is c (null if
 *   c < 1, when no observation is guaranteed below q_p);
 * - C_n <= d: at most d observations are <= q_p, so X_(d+1) > q_p; the upper rank is d + 1 (null
 *   if d + 1 > n).
 */
export function sequentialOrderStatisticRanks(n: number, p: number, alpha: number): OrderStatisticRanks {
  assertCount("n", n);
  assertQuantileLevel(p);
  assertLevel("alpha", alpha);
  const counts = betaBinomialMixtureCountRange(n, p, alpha);
  return { low: counts.low >= 1 ? counts.low : null, high: counts.high + 1 <= n ? counts.high + 1 : null };
}

function assertQuantileLevel(p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile level p must be strictly between 0 and 1, got ${p}`);
}
