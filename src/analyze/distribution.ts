import { dkwHalfWidth, inverseEcdf } from "../stats/index.js";
import type { Distribution, SidesAt } from "./report-types.js";

/** One pair of the hash sample, as the curves read it. */
export interface PairedSample {
  readonly baselineLatency: number;
  readonly candidateLatency: number;
  readonly baselineCost: number;
  readonly candidateCost: number;
  readonly priced: boolean;
}

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
    latency: sidesAt(sample, "baselineLatency", "candidateLatency"),
    cost:
      priced.length === 0
        ? null
        : {
            sample: priced.length,
            band: dkwHalfWidth(priced.length, confidence),
            ...sidesAt(priced, "baselineCost", "candidateCost"),
          },
  };
}

type Quantity = "baselineLatency" | "candidateLatency" | "baselineCost" | "candidateCost";

function sidesAt(pairs: readonly PairedSample[], baseline: Quantity, candidate: Quantity): SidesAt {
  return {
    baseline: inverseEcdf(
      pairs.map((pair) => pair[baseline]),
      DISTRIBUTION_LEVELS,
    ),
    candidate: inverseEcdf(
      pairs.map((pair) => pair[candidate]),
      DISTRIBUTION_LEVELS,
    ),
  };
}
