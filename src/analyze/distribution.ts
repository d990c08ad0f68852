import type { Distribution } from "./report-types.js";
import type { PairedSample } from "./segment-report.js";
import { dkwHalfWidth, inverseEcdf } from "./stats/index.js";

/** Levels the curves are drawn at: every 2.5%, with 99% added for the tail. */
export const DISTRIBUTION_LEVELS: readonly number[] = [
  ...Array.from({ length: 40 }, (_, index) => index / 40),
  0.99,
  1,
].sort((a, b) => a - b);

/**
 * Latency and cost distributions of both sides from the overall segment's sample: the pairs whose
 * key hash is smallest, a uniform sample that the report already reads for its paired tests, so
 * the curves cost no extra pass over the pairs. The DKW half-width says how close they are.
 */
export function distributionOf(sample: readonly PairedSample[], confidence: number): Distribution | null {
  if (sample.length === 0) return null;
  const priced = sample.filter((pair) => pair.priced);
  return {
    sample: sample.length,
    band: dkwHalfWidth(sample.length, confidence),
    levels: DISTRIBUTION_LEVELS,
    latency: {
      baseline: inverseEcdf(
        sample.map((pair) => pair.baselineLatency),
        DISTRIBUTION_LEVELS,
      ),
      candidate: inverseEcdf(
        sample.map((pair) => pair.candidateLatency),
        DISTRIBUTION_LEVELS,
      ),
    },
    cost:
      priced.length === 0
        ? null
        : {
            sample: priced.length,
            band: dkwHalfWidth(priced.length, confidence),
            baseline: inverseEcdf(
              priced.map((pair) => pair.baselineCost),
              DISTRIBUTION_LEVELS,
            ),
            candidate: inverseEcdf(
              priced.map((pair) => pair.candidateCost),
              DISTRIBUTION_LEVELS,
            ),
          },
  };
}
