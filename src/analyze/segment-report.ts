import { PAIR_CATEGORIES, type PairCategory } from "../contracts/categories.js";
import { DRIFT_CATEGORIES } from "../diff/category.js";
import type {
  CostComparison,
  LatencyComparison,
  PairedBinary,
  PairedRatio,
  Rate,
  SegmentReport,
} from "./report-types.js";
import { bootstrapMeanInterval, mcnemarExact, wilcoxonSignedRank, wilsonInterval } from "./stats/index.js";

const DRIFT_LIST = [...DRIFT_CATEGORIES];

/**
 * Bootstrap resamples per interval: 1,000 is the usual floor for 95% percentile intervals
 * (Efron & Tibshirani 1993) and keeps a report with dozens of segments well under a second.
 */
const BOOTSTRAP_RESAMPLES = 1000;

/** One pair of the bounded sample: the paired quantities the signed-rank tests compare. */
export interface PairedSample {
  readonly baselineLatency: number;
  readonly candidateLatency: number;
  readonly baselineCost: number;
  readonly candidateCost: number;
  readonly priced: boolean;
  readonly baselineTokens: number;
  readonly candidateTokens: number;
}

export interface SegmentInput {
  readonly dimension: string | null;
  /** One row of `segmentAggregatesSql`. */
  readonly row: Readonly<Record<string, unknown>>;
  /** Drift-category pairs whose every differing path is noise (0 without an A/A run). */
  readonly noiseOnly: number;
  readonly sample: readonly PairedSample[];
  readonly minPairs: number;
  readonly confidence: number;
  readonly netOfNoise: boolean;
  /** Bootstrap seed: fixed per segment so a report is reproducible. */
  readonly seed: number;
}

/** Turns one aggregate row and its sample into the segment's statistics (pure). */
export function segmentReport(input: SegmentInput): SegmentReport {
  const row = input.row;
  const n = (column: string) => Number(row[column] ?? 0);
  const pairs = n("pairs");
  const value = String(row.segment);
  if (pairs < input.minPairs) {
    return {
      dimension: input.dimension,
      value,
      pairs,
      sufficient: false,
      note: `too few pairs to tell (${pairs} < ${input.minPairs})`,
    };
  }
  const rate = (count: number, total: number): Rate => {
    const interval = wilsonInterval(count, total, input.confidence);
    return { count, total, rate: total === 0 ? 0 : count / total, low: interval.low, high: interval.high };
  };
  const binary = (
    baselineCount: number,
    candidateCount: number,
    gained: number,
    lost: number,
  ): PairedBinary => {
    const p = mcnemarExact(lost, gained);
    return {
      baseline: rate(baselineCount, pairs),
      candidate: rate(candidateCount, pairs),
      gained,
      lost,
      p_value: p,
      p_adjusted: p,
    };
  };
  const categories = Object.fromEntries(
    PAIR_CATEGORIES.map((category) => [category, n(`c_${category}`)]),
  ) as Record<PairCategory, number>;
  const noiseOnly = input.noiseOnly;
  const baselineCalls = n("sum_baseline_tool_calls");
  const candidateCalls = n("sum_candidate_tool_calls");
  return {
    dimension: input.dimension,
    value,
    pairs,
    sufficient: true,
    categories,
    drift: {
      ...rate(DRIFT_LIST.reduce((sum, category) => sum + categories[category], 0) - noiseOnly, pairs),
      noise_only: noiseOnly,
      net_of_noise: input.netOfNoise,
    },
    refusal: binary(n("baseline_refusals"), n("candidate_refusals"), n("refusal_gained"), n("refusal_lost")),
    errors: binary(n("baseline_errors"), n("candidate_errors"), n("error_gained"), n("error_lost")),
    tool_calls: {
      baseline: {
        calls: baselineCalls,
        validity: rate(baselineCalls - n("sum_baseline_invalid_calls"), baselineCalls),
        success: rate(baselineCalls - n("sum_baseline_failed_calls"), baselineCalls),
      },
      candidate: {
        calls: candidateCalls,
        validity: rate(candidateCalls - n("sum_candidate_invalid_calls"), candidateCalls),
        success: rate(candidateCalls - n("sum_candidate_failed_calls"), candidateCalls),
      },
      // "Gained" here is a pair whose tools newly all work; "lost" one that newly fails.
      all_ok: binary(
        n("baseline_tools_ok"),
        n("candidate_tools_ok"),
        n("tools_ok_gained"),
        n("tools_ok_lost"),
      ),
    },
    tokens: pairedRatio(
      pairs,
      n("sum_baseline_tokens") / pairs,
      n("sum_candidate_tokens") / pairs,
      n("baseline_tokens_median"),
      n("candidate_tokens_median"),
      input.sample.map((pair) => [pair.baselineTokens, pair.candidateTokens]),
      input,
    ),
    cost: costComparison(row, input),
    latency: latencyComparison(row, input),
  };
}

function costComparison(row: Readonly<Record<string, unknown>>, input: SegmentInput): CostComparison {
  const n = (column: string) => Number(row[column] ?? 0);
  const pricedPairs = n("priced_pairs");
  const unpricedPairs = n("pairs") - pricedPairs;
  if (pricedPairs === 0) {
    const unpriced: string[] = [];
    if (n("baseline_unpriced") > 0) unpriced.push("baseline");
    if (n("candidate_unpriced") > 0) unpriced.push("candidate");
    return { priced: false, unpriced_models: unpriced, unpriced_pairs: unpricedPairs };
  }
  const paired = pairedRatio(
    pricedPairs,
    n("baseline_cost_nano") / 1e9 / pricedPairs,
    n("candidate_cost_nano") / 1e9 / pricedPairs,
    n("baseline_cost_median"),
    n("candidate_cost_median"),
    input.sample.filter((pair) => pair.priced).map((pair) => [pair.baselineCost, pair.candidateCost]),
    input,
  );
  return { priced: true, unpriced_pairs: unpricedPairs, ...paired };
}

function latencyComparison(row: Readonly<Record<string, unknown>>, input: SegmentInput): LatencyComparison {
  const quantiles = (column: string) => {
    const values = (row[column] as unknown[] | undefined)?.map(Number) ?? [];
    return { p50: values[0] ?? 0, p95: values[1] ?? 0, p99: values[2] ?? 0 };
  };
  const baseline = quantiles("baseline_latency");
  const candidate = quantiles("candidate_latency");
  const ratio = (b: number, c: number) => (b > 0 ? c / b : null);
  const sample = input.sample.map((pair): [number, number] => [pair.baselineLatency, pair.candidateLatency]);
  const means = sample.reduce((sum, [b, c]) => [sum[0] + b, sum[1] + c], [0, 0]);
  return {
    baseline,
    candidate,
    p50_ratio: ratio(baseline.p50, candidate.p50),
    p95_ratio: ratio(baseline.p95, candidate.p95),
    p99_ratio: ratio(baseline.p99, candidate.p99),
    paired: pairedRatio(
      Number(row.pairs),
      sample.length === 0 ? 0 : means[0] / sample.length,
      sample.length === 0 ? 0 : means[1] / sample.length,
      baseline.p50,
      candidate.p50,
      sample,
      input,
    ),
  };
}

/**
 * Compares a positive paired quantity through per-pair log ratios ln(candidate / baseline):
 * the signed-rank test asks whether the candidate is systematically higher or lower, and the
 * bootstrap interval of the mean log ratio, exponentiated, is a ratio interval (1.25 = 25% more).
 * Pairs where either side is zero carry no ratio and are left out of the sample.
 */
function pairedRatio(
  pairs: number,
  baselineMean: number,
  candidateMean: number,
  baselineMedian: number,
  candidateMedian: number,
  sample: readonly (readonly [number, number])[],
  input: SegmentInput,
): PairedRatio {
  const logRatios = sample.filter(([b, c]) => b > 0 && c > 0).map(([b, c]) => Math.log(c / b));
  const enough = logRatios.length >= Math.min(input.minPairs, 10);
  const interval = enough
    ? bootstrapMeanInterval(logRatios, {
        confidence: input.confidence,
        seed: input.seed,
        resamples: BOOTSTRAP_RESAMPLES,
      })
    : null;
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
