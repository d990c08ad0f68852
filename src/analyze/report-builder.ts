import { holmAdjust } from "../stats/index.js";
import { distributionOf } from "./distribution.js";
import type { SegmentAggregate } from "./report-aggregate.js";
import { segmentKey } from "./report-queries.js";
import type { ReportData } from "./report-reader.js";
import { describe } from "./report-scope.js";
import type { DriftReport, SegmentReport } from "./report-types.js";
import { type SegmentInput, segmentReport } from "./segment-report.js";

export interface BuildOptions {
  /** Segments with fewer pairs say so instead of printing rates (default 30). */
  readonly minPairs?: number;
}

const CONFIDENCE = 0.95;

/**
 * The drift report from what the reader decoded (pure): categories net of noise, net drift,
 * paired statistics per segment, Holm across the segments of a dimension, examples, distributions.
 */
export function buildDriftReport(data: ReportData, options: BuildOptions = {}): DriftReport {
  const minPairs = options.minPairs ?? 30;
  const noisePaths = new Set(data.noise.noisePaths);
  const aaRun = data.noise.aaPairs > 0;
  const unchecked = [
    ...(data.manifests.candidate ? [] : [data.candidate]),
    ...(data.manifests.baseline || data.baseline.id === data.candidate.id ? [] : [data.baseline]),
  ];
  const validity = {
    ...data.manifests,
    note:
      unchecked.length === 0
        ? null
        : `not checked (no manifest for release ${unchecked.map(describe).join(" nor for release ")})`,
  };
  const inputOf = (aggregate: SegmentAggregate, seed: number): SegmentInput => ({
    aggregate,
    aa: aaRun
      ? (data.aaSegments.get(segmentKey(aggregate.dimension, aggregate.segment)) ?? {
          completed: 0,
          differing: 0,
        })
      : null,
    noisePaths,
    sample: aggregate.sample.slice(0, data.sampleLimit),
    minPairs,
    seed,
    validity,
  });
  const [overallAggregate, ...rest] = data.segments;
  if (overallAggregate === undefined) throw new Error("report data without an overall segment");
  const overall = segmentReport(inputOf(overallAggregate, 1));
  // Null prototype: a label called `__proto__` is a dimension like any other.
  const segments: Record<string, SegmentReport[]> = Object.create(null);
  for (const dimension of data.dimensions) {
    const reports = rest
      .filter((aggregate) => aggregate.dimension === dimension)
      .map((aggregate, index) => segmentReport(inputOf(aggregate, index + 2)))
      .sort(bySegmentValue(rest.filter((aggregate) => aggregate.dimension === dimension)));
    segments[dimension] = adjustAcrossSegments(reports);
  }
  const overallSample = overallAggregate.sample.slice(0, data.sampleLimit);
  return {
    schema: "shadowdiff.report/v1",
    candidate: data.candidate,
    baseline: data.baseline,
    window: { first: overallAggregate.firstTs, last: overallAggregate.lastTs },
    settings: {
      min_pairs: minPairs,
      confidence: CONFIDENCE,
      sample_limit: data.sampleLimit,
      segments: data.dimensions,
    },
    unpaired: data.unpaired,
    noise: aaRun ? { aa_pairs: data.noise.aaPairs, noise_paths: data.noise.noisePaths } : null,
    overall,
    segments,
    paths: data.noise.paths,
    examples: data.examples,
    distribution: distributionOf(
      overallSample.map((pair) => ({
        baselineLatency: Number(pair.baseline_latency),
        candidateLatency: Number(pair.candidate_latency),
        baselineCost: Number(pair.baseline_cost),
        candidateCost: Number(pair.candidate_cost),
        priced: Number(pair.priced) === 1,
      })),
      CONFIDENCE,
    ),
  };
}

/** The label value of pairs without the label (report-queries.ts's `segmentExpression`). */
const NO_LABEL = "(none)";
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Segment order: numbers as numbers when every value of the label is one (`--by task`: 9 before
 * 10), text otherwise; pairs without the label last. Ties (`1` and `1.0`) fall back to text so
 * the order never depends on the store's.
 */
function bySegmentValue(
  aggregates: readonly { readonly segment: string }[],
): (a: SegmentReport, b: SegmentReport) => number {
  const numeric = aggregates.every(({ segment }) => segment === NO_LABEL || DECIMAL.test(segment));
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return (a, b) => {
    if ((a.value === NO_LABEL) !== (b.value === NO_LABEL)) return a.value === NO_LABEL ? 1 : -1;
    return (numeric ? Number(a.value) - Number(b.value) : 0) || text(a.value, b.value);
  };
}

type Family = "refusal" | "errors" | "all_ok" | "tokens" | "cost" | "latency";
const FAMILIES: readonly Family[] = ["refusal", "errors", "all_ok", "tokens", "cost", "latency"];

/** Holm across the segments of one dimension, per test family (the report's p values; the gate adjusts its own). */
function adjustAcrossSegments(reports: SegmentReport[]): SegmentReport[] {
  const sufficient = reports.flatMap((report, index) => (report.sufficient ? [{ report, index }] : []));
  if (sufficient.length === 0) return reports;
  const adjusted = reports.slice();
  const pValues = FAMILIES.map((family) =>
    holmAdjust(sufficient.map(({ report }) => familyP(report, family) ?? 1)),
  );
  sufficient.forEach(({ report, index }, position) => {
    if (!report.sufficient) return;
    const p = (family: number) => pValues[family]?.[position] ?? 1;
    adjusted[index] = {
      ...report,
      refusal: { ...report.refusal, p_adjusted: p(0) },
      errors: { ...report.errors, p_adjusted: p(1) },
      tool_calls: { ...report.tool_calls, all_ok: { ...report.tool_calls.all_ok, p_adjusted: p(2) } },
      tokens: { ...report.tokens, p_adjusted: report.tokens.p_value === null ? null : p(3) },
      cost: report.cost.priced
        ? {
            ...report.cost,
            typical: {
              ...report.cost.typical,
              p_adjusted: report.cost.typical.p_value === null ? null : p(4),
            },
          }
        : report.cost,
      latency: {
        ...report.latency,
        paired: {
          ...report.latency.paired,
          p_adjusted: report.latency.paired.p_value === null ? null : p(5),
        },
      },
    };
  });
  return adjusted;
}

function familyP(report: SegmentReport, family: Family): number | null {
  if (!report.sufficient) return null;
  switch (family) {
    case "refusal":
      return report.refusal.p_value;
    case "errors":
      return report.errors.p_value;
    case "all_ok":
      return report.tool_calls.all_ok.p_value;
    case "tokens":
      return report.tokens.p_value;
    case "cost":
      return report.cost.priced ? report.cost.typical.p_value : null;
    case "latency":
      return report.latency.paired.p_value;
  }
}
