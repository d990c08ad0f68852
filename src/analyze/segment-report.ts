import { DRIFT_CATEGORIES } from "../diff/category.js";
import { netDriftMethod } from "../diff/net-drift.js";
import { mcnemarExact, normalQuantile } from "../stats/index.js";
import type { SampledPairRow } from "./aggregate-queries.js";
import {
  netDriftBounds,
  p95RatioBounds,
  pairedDeltaBounds,
  REPORT_SIDES,
  rateBounds,
  ratioOfMeansBounds,
} from "./bounds.js";
import { momentsOf, scoresReport, thirdOf, toolsReport } from "./outcome-report.js";
import { pairedRatio, sampleMedians } from "./paired-ratio.js";
import type { AaSegment, BinaryCounts, SegmentAggregate } from "./report-aggregate.js";
import { netCategories } from "./report-noise.js";
import type {
  CostComparison,
  LatencyComparison,
  NetDrift,
  PairedFlip,
  PairedRatio,
  Rate,
  SegmentReport,
} from "./report-types.js";

export interface SegmentInput {
  readonly aggregate: SegmentAggregate;
  /** The A/A pairs of the same segment, or null without an A/A run. */
  readonly aa: AaSegment | null;
  readonly noisePaths: ReadonlySet<string>;
  /** The first pairs of the segment's hash sample: descriptive statistics only. */
  readonly sample: readonly SampledPairRow[];
  readonly minPairs: number;
  /** Bootstrap seed: fixed per segment so a report is reproducible. */
  readonly seed: number;
  /** Whether each side's tool calls were checked against its schemas, and the note when not. */
  readonly validity: {
    readonly baseline: boolean;
    readonly candidate: boolean;
    readonly note: string | null;
  };
}

/** Turns one segment's aggregates into its statistics (pure). */
export function segmentReport(input: SegmentInput): SegmentReport {
  const aggregate = input.aggregate;
  const pairs = aggregate.pairs;
  const dimension = aggregate.dimension === "" ? null : aggregate.dimension;
  if (pairs < input.minPairs) {
    return {
      dimension,
      value: aggregate.segment,
      pairs,
      sufficient: false,
      note: `too few pairs to tell (${pairs} < ${input.minPairs})`,
    };
  }
  const binary = (counts: BinaryCounts): PairedFlip => {
    const p = mcnemarExact(counts.lost, counts.gained);
    const difference = pairedDeltaBounds(counts, pairs, REPORT_SIDES);
    return {
      baseline: rate(counts.baseline, pairs),
      candidate: rate(counts.candidate, pairs),
      gained: counts.gained,
      lost: counts.lost,
      p_value: p,
      p_adjusted: p,
      difference: {
        estimate: (counts.candidate - counts.baseline) / pairs,
        low: difference === undefined ? null : difference.low,
        high: difference === undefined ? null : difference.high,
      },
    };
  };
  const calls = aggregate.toolCalls;
  const categories = netCategories(aggregate.pathsets, input.noisePaths);
  return {
    dimension,
    value: aggregate.segment,
    pairs,
    sufficient: true,
    categories,
    categories_raw: aggregate.categories,
    baseline_failed: aggregate.baselineFailed,
    drift: netDrift(aggregate, input.aa, categories),
    refusal: binary(aggregate.refusal),
    errors: binary(aggregate.errors),
    tool_calls: {
      baseline: {
        calls: calls.baseline.calls,
        checked: input.validity.baseline,
        validity: rate(calls.baseline.calls - calls.baseline.invalid, calls.baseline.calls),
        success: rate(calls.baseline.calls - calls.baseline.failed, calls.baseline.calls),
      },
      candidate: {
        calls: calls.candidate.calls,
        checked: input.validity.candidate,
        validity: rate(calls.candidate.calls - calls.candidate.invalid, calls.candidate.calls),
        success: rate(calls.candidate.calls - calls.candidate.failed, calls.candidate.calls),
      },
      all_ok: binary(aggregate.toolsOk),
      validity_note: input.validity.note,
    },
    tokens: tokensComparison(aggregate, input),
    cost: costComparison(aggregate, input),
    latency: latencyComparison(aggregate, input),
    scores: scoresReport(aggregate.scores),
    tools: toolsReport(aggregate.tools, aggregate.completed),
  };
}

function rate(count: number, total: number): Rate {
  const bounds = rateBounds(count, total, REPORT_SIDES);
  return { count, total, rate: bounds.estimate, low: bounds.low, high: bounds.high };
}

function netDrift(
  aggregate: SegmentAggregate,
  aa: AaSegment | null,
  categories: Readonly<Record<string, number>>,
): NetDrift {
  const rawDrift = [...DRIFT_CATEGORIES].reduce((sum, category) => sum + aggregate.categories[category], 0);
  const netDriftPairs = [...DRIFT_CATEGORIES].reduce((sum, category) => sum + (categories[category] ?? 0), 0);
  const matched = {
    both: aggregate.matched.both,
    candidate_only: aggregate.matched.candidateOnly,
    aa_only: aggregate.matched.aaOnly,
    neither: aggregate.matched.neither,
  };
  const base = {
    candidate: rate(aggregate.completedDiffering, aggregate.completed),
    matched,
    noise_only: aa === null ? 0 : rawDrift - netDriftPairs,
    net_of_noise: aa !== null,
  };
  if (aa === null) {
    return {
      ...base,
      estimate: null,
      low: null,
      high: null,
      method: null,
      aa: null,
      noise_only: 0,
      net_of_noise: false,
      detectable: null,
      note: "no A/A capture: drift cannot be told from noise",
    };
  }
  const input = {
    pairs: aggregate.completed,
    differing: aggregate.completedDiffering,
    aaPairs: aa.completed,
    aaDiffering: aa.differing,
    matched: aggregate.matched,
  };
  const bounds = netDriftBounds(input, REPORT_SIDES);
  return {
    ...base,
    estimate: bounds?.estimate ?? null,
    low: bounds?.low ?? null,
    high: bounds?.high ?? null,
    method: bounds === undefined ? null : netDriftMethod(input),
    // (a segment the A/A run has no pairs in can still be paired through the candidate's requests)
    aa: rate(aa.differing, aa.completed),
    detectable: bounds === undefined ? null : detectableDrift(bounds),
    note: bounds === undefined ? "no completed pairs to compare" : null,
  };
}

/** (z₀.₉₇₅ + z₀.₈)·se, with se from the 95% interval's width (2·1.96·se). */
function detectableDrift(bounds: { low: number; high: number }): number | null {
  if (!Number.isFinite(bounds.low) || !Number.isFinite(bounds.high)) return null;
  const z = normalQuantile(0.975);
  return ((bounds.high - bounds.low) / (2 * z)) * (z + normalQuantile(0.8));
}

function tokensComparison(aggregate: SegmentAggregate, input: SegmentInput): PairedRatio {
  const pairs = aggregate.pairs;
  const sample = input.sample.map((pair): [number, number] => [
    Number(pair.baseline_tokens),
    Number(pair.candidate_tokens),
  ]);
  const medians = sampleMedians(sample);
  return pairedRatio(
    pairs,
    aggregate.tokens.baselineSum / pairs,
    aggregate.tokens.candidateSum / pairs,
    medians.baseline,
    medians.candidate,
    sample,
    input,
  );
}

function costComparison(aggregate: SegmentAggregate, input: SegmentInput): CostComparison {
  const cost = aggregate.cost;
  const unpricedPairs = aggregate.pairs - cost.pricedPairs;
  if (cost.pricedPairs === 0) {
    const unpriced: string[] = [];
    if (cost.baselineUnpriced > 0) unpriced.push("baseline");
    if (cost.candidateUnpriced > 0) unpriced.push("candidate");
    return { priced: false, unpriced_models: unpriced, unpriced_pairs: unpricedPairs };
  }
  const m = cost.moments;
  const bounds = ratioOfMeansBounds(m, REPORT_SIDES, cost.third);
  const sample = input.sample
    .filter((pair) => Number(pair.priced) === 1)
    .map((pair): [number, number] => [Number(pair.baseline_cost), Number(pair.candidate_cost)]);
  const medians = sampleMedians(sample);
  return {
    priced: true,
    unpriced_pairs: unpricedPairs,
    pairs: cost.pairs,
    baseline_mean: cost.pairs === 0 ? 0 : cost.baselineSum / cost.pairs,
    candidate_mean: cost.pairs === 0 ? 0 : cost.candidateSum / cost.pairs,
    baseline_median: medians.baseline,
    candidate_median: medians.candidate,
    ratio: cost.baselineSum > 0 ? cost.candidateSum / cost.baselineSum : null,
    ratio_low: bounds === undefined || !Number.isFinite(bounds.low) ? null : bounds.low,
    ratio_high: bounds === undefined || !Number.isFinite(bounds.high) ? null : bounds.high,
    moments: momentsOf(m),
    third_moments: thirdOf(cost.third),
    typical: pairedRatio(
      cost.pairs,
      cost.pairs === 0 ? 0 : cost.baselineSum / cost.pairs,
      cost.pairs === 0 ? 0 : cost.candidateSum / cost.pairs,
      medians.baseline,
      medians.candidate,
      sample,
      input,
    ),
  };
}

function latencyComparison(aggregate: SegmentAggregate, input: SegmentInput): LatencyComparison {
  const grid = aggregate.latency;
  const at = (values: readonly number[], level: number) => values[grid.levels.indexOf(level)] ?? 0;
  const side = (values: readonly number[]) => ({
    p50: at(values, 0.5),
    p95: at(values, 0.95),
    p99: at(values, 0.99),
  });
  const baseline = side(grid.baseline);
  const candidate = side(grid.candidate);
  const ratio = (b: number, c: number) => (b > 0 ? c / b : null);
  const bounds = p95RatioBounds({ pairs: aggregate.completed, ...grid }, REPORT_SIDES);
  const sample = input.sample
    .filter((pair) => Number(pair.completed) === 1)
    .map((pair): [number, number] => [Number(pair.baseline_latency), Number(pair.candidate_latency)]);
  const means = sample.reduce((sum, [b, c]) => [sum[0] + b, sum[1] + c], [0, 0]);
  return {
    pairs: aggregate.completed,
    baseline,
    candidate,
    p50_ratio: ratio(baseline.p50, candidate.p50),
    p95_ratio: ratio(baseline.p95, candidate.p95),
    p99_ratio: ratio(baseline.p99, candidate.p99),
    p95_ratio_low: bounds === undefined ? null : bounds.low,
    p95_ratio_high: bounds === undefined || !Number.isFinite(bounds.high) ? null : bounds.high,
    quantiles: { levels: grid.levels, baseline: grid.baseline, candidate: grid.candidate },
    paired: pairedRatio(
      aggregate.completed,
      sample.length === 0 ? 0 : means[0] / sample.length,
      sample.length === 0 ? 0 : means[1] / sample.length,
      baseline.p50,
      candidate.p50,
      sample,
      input,
    ),
  };
}
