import { stirlingError } from "./log-gamma.js";

/**
 * Binomial probabilities that stay accurate and finite for n in the millions (McNemar runs on
 * every discordant pair of a large capture).
 *
 * A single probability uses Loader's saddle-point form (2000; also R's dbinom): the log of the
 * pmf is built from Stirling errors and a deviance term that has no cancellation. Its relative
 * error is about |k − n·p|·1e-16 (from rounding n·p): ~1e-14 near the mean, ~1e-12 twenty
 * standard deviations out at n = 1e7, on par with scipy.
 *
 * A tail is summed outward from its inner end, where the terms are largest, by the ratio of
 * neighbouring terms, in units of the first term: nothing overflows, and a tail below 1e-308
 * underflows to 0 instead of going wrong. Every 1024 steps the running term is re-anchored to the
 * exact pmf, and the sum is compensated, so rounding does not accumulate. The sum stops once the
 * rest is provably below 1e-17 of it (the pmf is log-concave, so the remaining terms are bounded by
 * a geometric series). Cost is O(√(n·p·(1−p))) terms, about 15 000 at n = 1e7, p = ½ (0.1 ms), so
 * no large-n fallback to an approximation is needed.
 */

const LOG_2PI = Math.log(2 * Math.PI);
const REANCHOR_EVERY = 1024;
const NEGLIGIBLE = 1e-17;

/** ln P(X = k) for X ~ Binomial(n, p); −∞ outside 0..n. */
export function binomialLogPmf(k: number, n: number, p: number): number {
  assertBinomial(n, p);
  if (!Number.isInteger(k) || k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  if (p === 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (p === 1) return k === n ? 0 : Number.NEGATIVE_INFINITY;
  if (k === 0) return n * Math.log1p(-p);
  if (k === n) return n * Math.log(p);
  const rest = n - k;
  const logRatio =
    stirlingError(n) -
    stirlingError(k) -
    stirlingError(rest) -
    deviance(k, n * p) -
    deviance(rest, n * (1 - p));
  // ln(2π·k·(n−k)/n), with (n−k)/n formed exactly: 1 − k/n would lose digits when k ≈ n.
  return logRatio - 0.5 * (LOG_2PI + Math.log(k) + Math.log(rest / n));
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  return Math.exp(binomialLogPmf(k, n, p));
}

/** P(X <= k) for X ~ Binomial(n, p); a fractional k counts as floor(k), as in scipy. */
export function binomialCdf(k: number, n: number, p: number): number {
  assertBinomial(n, p);
  const atMost = Math.floor(k);
  if (atMost < 0) return 0;
  if (atMost >= n || p === 0) return 1;
  if (p === 1) return 0;
  // Below the mean the lower tail is at most ~½ and is summed; above it, 1 − (upper tail) loses
  // nothing because the upper tail is then at most ~½.
  return atMost < n * p ? lowerTail(atMost, n, p) : 1 - upperTail(atMost + 1, n, p);
}

/** P(X > k) for X ~ Binomial(n, p) (scipy's `binom.sf`); a fractional k counts as floor(k). */
export function binomialSurvival(k: number, n: number, p: number): number {
  assertBinomial(n, p);
  const atMost = Math.floor(k);
  if (atMost < 0) return 1;
  if (atMost >= n || p === 0) return 0;
  if (p === 1) return 1;
  return atMost + 1 > n * p ? upperTail(atMost + 1, n, p) : 1 - lowerTail(atMost, n, p);
}

/** Σ P(X = i) for i = k, k−1, …, 0, where k < n·p, so the terms only shrink. */
function lowerTail(k: number, n: number, p: number): number {
  const odds = (1 - p) / p;
  return sumTail(k, n, p, (i) => (i > 0 ? (i / (n - i + 1)) * odds : 0), -1);
}

/** Σ P(X = i) for i = m, m+1, …, n, where m > n·p − (1−p), so the terms only shrink. */
function upperTail(m: number, n: number, p: number): number {
  const odds = p / (1 - p);
  return sumTail(m, n, p, (i) => (i < n ? ((n - i) / (i + 1)) * odds : 0), 1);
}

/**
 * Σ of pmf(i) from `start` in direction `step`, where `ratioAfter(i)` = pmf(i + step) / pmf(i)
 * is below 1 and decreasing along the way (log-concavity).
 */
function sumTail(
  start: number,
  n: number,
  p: number,
  ratioAfter: (i: number) => number,
  step: 1 | -1,
): number {
  const logFirst = binomialLogPmf(start, n, p);
  let term = 1;
  // Kahan summation: a tail near the mean has ~15 000 terms at n = 1e7, enough for plain
  // summation to lose three digits.
  let sum = 1;
  let lostLowBits = 0;
  for (let i = start, steps = 1; ; i += step, steps++) {
    const ratio = ratioAfter(i);
    if (ratio === 0 || (ratio < 1 && term * (ratio / (1 - ratio)) <= sum * NEGLIGIBLE)) break;
    term = steps % REANCHOR_EVERY === 0 ? Math.exp(binomialLogPmf(i + step, n, p) - logFirst) : term * ratio;
    const corrected = term - lostLowBits;
    const next = sum + corrected;
    lostLowBits = next - sum - corrected;
    sum = next;
  }
  return Math.min(1, Math.exp(logFirst + Math.log(sum)));
}

/**
 * x·ln(x/μ) + μ − x, the binomial deviance term, for x > 0. Near x = μ, where the two sides cancel,
 * it is summed as 2x·Σ v^(2j+1)/(2j+1) with v = (x−μ)/(x+μ), whose terms are all of one sign.
 */
function deviance(x: number, mean: number): number {
  const difference = x - mean;
  if (Math.abs(difference) < 0.1 * (x + mean)) {
    const v = difference / (x + mean);
    const vSquared = v * v;
    let sum = difference * v;
    let power = 2 * x * v;
    for (let j = 1; j < 1000; j++) {
      power *= vSquared;
      const next = sum + power / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / mean) + mean - x;
}

function assertBinomial(n: number, p: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`binomial n must be a non-negative integer, got ${n}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
}
