import { bcaBootstrapMeanInterval, wilcoxonSignedRank } from "../stats/index.js";
import type { PairedRatio } from "./report-types.js";

/**
 * Bootstrap resamples per interval: 1,000 is the usual floor for 95% intervals (Efron & Tibshirani
 * 1993) and keeps a report with dozens of segments well under a second. Only descriptive
 * figures (the typical per-pair ratio) are bootstrapped; no guardrail reads one.
 */
const BOOTSTRAP_RESAMPLES = 1000;

/**
 * Both sides' medians over a hash sample of pairs (descriptive, as the sample's other figures):
 * exact when the segment has no more pairs than the sample limit. An exact median over all pairs
 * took a quantile state per side and segment, a third of the 10M-pair report's CPU (bench/report).
 * The element at ⌊n/2⌋ of the sorted values, as ClickHouse's quantileExact(0.5) picks it.
 */
export function sampleMedians(sample: readonly (readonly [number, number])[]): {
  readonly baseline: number;
  readonly candidate: number;
} {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return { baseline: median(sample.map(([b]) => b)), candidate: median(sample.map(([, c]) => c)) };
}

/**
 * A positive paired quantity through per-pair log ratios ln(candidate / baseline), on the hash
 * sample: the signed-rank test asks whether the candidate is systematically higher or lower, and
 * the BCa bootstrap interval of the mean log ratio, exponentiated, is the typical request's ratio.
 * Descriptive: no guardrail reads it. Pairs where either side is zero carry no ratio.
 */
export function pairedRatio(
  pairs: number,
  baselineMean: number,
  candidateMean: number,
  baselineMedian: number,
  candidateMedian: number,
  sample: readonly (readonly [number, number])[],
  input: { readonly minPairs: number; readonly seed: number },
): PairedRatio {
  const logRatios = sample.filter(([b, c]) => b > 0 && c > 0).map(([b, c]) => Math.log(c / b));
  const enough = logRatios.length >= Math.min(input.minPairs, 10);
  const interval = enough
    ? bcaBootstrapMeanInterval(logRatios, {
        confidence: 0.95,
        seed: input.seed,
        resamples: BOOTSTRAP_RESAMPLES,
      })
    : undefined;
  const test = enough ? wilcoxonSignedRank(logRatios) : null;
  return {
    pairs,
    baseline_mean: baselineMean,
    candidate_mean: candidateMean,
    baseline_median: baselineMedian,
    candidate_median: candidateMedian,
    ratio_of_means: baselineMean > 0 ? candidateMean / baselineMean : 0,
    ratio: interval ? Math.exp(interval.estimate) : null,
    ratio_low: interval ? Math.exp(interval.low) : null,
    ratio_high: interval ? Math.exp(interval.high) : null,
    p_value: test ? test.pValue : null,
    p_adjusted: test ? test.pValue : null,
    sample: logRatios.length,
  };
}
