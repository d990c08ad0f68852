import { bisectEdge } from "./bisect.js";
import type { Interval } from "./interval.js";
import { differenceVariance, type PairedMoments, summarizePairs } from "./paired-moments.js";

/** A half-width on the scale of a mean, given the per-observation variance of y − R·x. */
export type HalfWidth = (variance: number) => number;

/** Beyond this the ratio is reported unbounded: no latency or cost ratio a gate uses gets near it. */
const LARGEST_RATIO = 1e12;

/**
 * Fieller's construction with any half-width, e.g. a confidence sequence's
 * (v ⇒ normalMixtureHalfWidth(n, v, α)) instead of z·√(v/n): the bounds for R = E[y]/E[x] are
 *
 *   low  = inf{R : ȳ − R·x̄ <= halfWidthLow(V(R))},
 *   high = sup{R : ȳ − R·x̄ >= −halfWidthHigh(V(R))},
 *
 * with V(R) = Syy − 2R·Sxy + R²·Sxx. Each set contains the estimate ȳ/x̄. It is taken to be an
 * interval on that side of the estimate, or, when the baseline mean is not significantly positive,
 * to reach ±∞; both hold when the half-width grows like √V, where the condition is Fieller's
 * quadratic (see fieller.ts). With halfWidth = v ⇒ z·√(v/n) this is `fiellerBounds`.
 *
 * A side is −∞ / +∞ when its condition still holds at ±1e12. Otherwise its end is bracketed by
 * steps doubling outward from the estimate and bisected to the resolution of doubles. The search
 * runs below 0 as well, so a lower bound below 0 (possible when the candidate mean is near 0) is
 * reported as Fieller reports it, not as −∞. Undefined with fewer than two pairs or a baseline
 * mean <= 0.
 */
export function ratioBoundsByRoot(
  moments: PairedMoments,
  halfWidthLow: HalfWidth,
  halfWidthHigh: HalfWidth,
): Interval | undefined {
  const summary = summarizePairs(moments);
  if (summary === undefined || !(summary.meanX > 0)) return undefined;
  const estimate = moments.sumY / moments.sumX;
  const shortfall = (ratio: number) => summary.meanY - ratio * summary.meanX;
  const width = (halfWidth: HalfWidth, name: string, ratio: number) => {
    const variance = differenceVariance(summary, ratio);
    const value = halfWidth(variance);
    if (!(value >= 0 && Number.isFinite(value))) {
      throw new RangeError(
        `${name} must return a finite half-width >= 0, got ${value} for variance ${variance}`,
      );
    }
    return value;
  };
  const low = edge(estimate, -1, (ratio) => shortfall(ratio) <= width(halfWidthLow, "halfWidthLow", ratio));
  const high = edge(
    estimate,
    1,
    (ratio) => shortfall(ratio) >= -width(halfWidthHigh, "halfWidthHigh", ratio),
  );
  return { estimate, low, high };
}

/**
 * The edge of the set around `start` in `direction`, or ±∞ if the condition still holds at
 * ±LARGEST_RATIO: with a baseline mean that is not significantly positive the set is two rays (as
 * Fieller's is), and the inner edge next to the estimate is not a bound.
 */
function edge(start: number, direction: 1 | -1, isInside: (ratio: number) => boolean): number {
  const unbounded = direction < 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  const farthest = direction * LARGEST_RATIO;
  if (direction * start >= LARGEST_RATIO || isInside(farthest)) return unbounded;
  let inside = start;
  // Start at 1/1024 of the scale of the estimate, so the bracket is tight for the usual case.
  let step = Math.max(Math.abs(start), 1) / 1024;
  for (;;) {
    const candidate = direction < 0 ? Math.max(farthest, start - step) : Math.min(farthest, start + step);
    if (!isInside(candidate)) return bisectEdge(isInside, inside, candidate);
    inside = candidate;
    step *= 2;
  }
}
