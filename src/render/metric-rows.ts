import type { PairedFlip, PairedRatio, SufficientSegment } from "../analyze/report-types.js";
import type { GUARDRAILS } from "../gate/policy.js";
import { percent, signedPoints } from "./text-table.js";

/**
 * The report's name for the metric behind each guardrail: one name per metric, the same in the
 * terminal, Markdown and HTML reports and in docs/SEMANTICS.md (a test holds the docs to it).
 */
export const GUARDRAIL_METRICS: Readonly<Record<(typeof GUARDRAILS)[number], string>> = {
  drift_rate: "net drift over A/A",
  refusal_rate_delta: "refusal rate",
  error_rate: "error rate",
  tool_call_success_delta: "pairs with all tool calls ok",
  cost_per_task_ratio: "cost per task (USD)",
  p95_latency_ratio: "p95 latency (ms)",
};

/**
 * One line of the metrics table. `estimate` and `interval` are always one statistic (the one the
 * guardrail named beside it is judged on, at the report's 95%); `sides` only gives both sides'
 * values for reading, and `test` how the statistic was computed.
 */
export interface MetricRow {
  readonly metric: string;
  readonly guardrail: string;
  readonly sides: string;
  readonly estimate: string;
  readonly interval: string;
  readonly test: string;
  /** The HTML element id of the estimate (`drift-rate`), where a page test looks it up. */
  readonly id?: string;
}

export const METRIC_HEADER = [
  "metric",
  "guardrail",
  "baseline → candidate",
  "estimate",
  "95% interval",
  "test",
];

export function metricRows(segment: SufficientSegment): MetricRow[] {
  const calls = segment.tool_calls;
  const unchecked = calls.validity_note !== null;
  return [
    driftRow(segment),
    flipRow(GUARDRAIL_METRICS.refusal_rate_delta, "refusal_rate_delta", segment.refusal),
    {
      metric: GUARDRAIL_METRICS.error_rate,
      guardrail: "error_rate",
      sides: sides(segment.errors),
      estimate: percent(segment.errors.candidate.rate),
      interval: rateInterval(segment.errors.candidate),
      test: flips(segment.errors),
    },
    flipRow(GUARDRAIL_METRICS.tool_call_success_delta, "tool_call_success_delta", calls.all_ok),
    unchecked
      ? {
          metric: "schema-valid calls",
          guardrail: "",
          sides: "not checked",
          estimate: "",
          interval: "",
          test: "",
        }
      : callRateRow(
          "schema-valid calls",
          calls.baseline.validity,
          calls.candidate.validity,
          calls.candidate.calls,
        ),
    callRateRow("error-free calls", calls.baseline.success, calls.candidate.success, calls.candidate.calls),
    meanRow("tokens per task", segment.tokens, 0),
    typicalRow("tokens, typical request", segment.tokens),
    ...costRows(segment),
    p95Row(segment),
    ...(["p50", "p99"] as const).map((level) => ({
      metric: `latency ${level} (ms)`,
      guardrail: "",
      sides: `${segment.latency.baseline[level].toFixed(0)} → ${segment.latency.candidate[level].toFixed(0)}`,
      estimate: times(segment.latency[`${level}_ratio`]),
      interval: "",
      test: "",
    })),
    meanRow("latency per task (ms)", segment.latency.paired, 0),
    typicalRow("latency, typical request", segment.latency.paired),
  ];
}

/** What a reader needs beside the table: how net drift was counted, and what was not checked. */
export function metricNotes(segment: SufficientSegment): string[] {
  const drift = segment.drift;
  const notes = [
    drift.aa === null || drift.estimate === null
      ? `net drift: ${percent(drift.candidate.rate)} of ${drift.candidate.total} completed pairs differ; ${drift.note ?? ""}`
      : `net drift: ${percent(drift.candidate.rate)} of ${drift.candidate.total} completed pairs differ, ${percent(drift.aa.rate)} of ${drift.aa.total} in the A/A run; ${drift.noise_only} noise-only pairs`,
  ];
  if (segment.tool_calls.validity_note !== null) {
    notes.push(
      `schema-valid calls: ${segment.tool_calls.validity_note}; pairs with all tool calls ok then counts failed calls only`,
    );
  }
  if (!segment.cost.priced) {
    notes.push(`cost per task: unpriced (${segment.cost.unpriced_models.join(" and ")} model has no price)`);
  }
  notes.push(
    "typical request: geometric mean of per-request ratios on the hash sample (descriptive; no guardrail reads it)",
  );
  return notes;
}

function driftRow(segment: SufficientSegment): MetricRow {
  const drift = segment.drift;
  const base = { metric: GUARDRAIL_METRICS.drift_rate, guardrail: "drift_rate", id: "drift-rate" };
  if (drift.estimate === null || drift.aa === null) {
    return {
      ...base,
      sides: `${percent(drift.candidate.rate)} differ`,
      estimate: "n/a",
      interval: "",
      test: "no A/A",
    };
  }
  return {
    ...base,
    sides: `A/A ${percent(drift.aa.rate)} → ${percent(drift.candidate.rate)}`,
    estimate: signedPoints(drift.estimate),
    interval: pointsInterval(drift.low, drift.high),
    test: drift.method ?? "",
  };
}

function flipRow(metric: string, guardrail: string, flip: PairedFlip): MetricRow {
  return {
    metric,
    guardrail,
    sides: sides(flip),
    estimate: signedPoints(flip.difference.estimate),
    interval: pointsInterval(flip.difference.low, flip.difference.high),
    test: flips(flip),
  };
}

function callRateRow(
  metric: string,
  baseline: SufficientSegment["errors"]["baseline"],
  candidate: SufficientSegment["errors"]["baseline"],
  calls: number,
): MetricRow {
  if (calls === 0) return { metric, guardrail: "", sides: "no calls", estimate: "", interval: "", test: "" };
  return {
    metric,
    guardrail: "",
    sides: `${percent(baseline.rate)} → ${percent(candidate.rate)}`,
    estimate: percent(candidate.rate),
    interval: rateInterval(candidate),
    test: `${calls} calls`,
  };
}

/** Means per task and their ratio: a point with no interval (the typical ratio has one, on its own line). */
function meanRow(metric: string, paired: PairedRatio, digits: number): MetricRow {
  return {
    metric,
    guardrail: "",
    sides: `${paired.baseline_mean.toFixed(digits)} → ${paired.candidate_mean.toFixed(digits)}`,
    estimate: times(paired.baseline_mean > 0 ? paired.ratio_of_means : null),
    interval: "",
    test: "ratio of means",
  };
}

function typicalRow(metric: string, paired: PairedRatio): MetricRow {
  return {
    metric,
    guardrail: "",
    sides: "",
    estimate: times(paired.ratio),
    interval:
      paired.ratio_low === null || paired.ratio_high === null
        ? "too few pairs"
        : `${times(paired.ratio_low)} – ${times(paired.ratio_high)}`,
    test: paired.p_value === null ? "" : `p${pValue(paired.p_value)}, n=${paired.sample}`,
  };
}

function costRows(segment: SufficientSegment): MetricRow[] {
  const cost = segment.cost;
  const metric = GUARDRAIL_METRICS.cost_per_task_ratio;
  if (!cost.priced) {
    return [
      { metric, guardrail: "cost_per_task_ratio", sides: "unpriced", estimate: "", interval: "", test: "" },
    ];
  }
  return [
    {
      metric,
      guardrail: "cost_per_task_ratio",
      sides: `${cost.baseline_mean.toFixed(5)} → ${cost.candidate_mean.toFixed(5)}`,
      estimate: times(cost.ratio),
      interval:
        cost.ratio_low === null || cost.ratio_high === null
          ? "unbounded"
          : `${times(cost.ratio_low)} – ${times(cost.ratio_high)}`,
      test: `Fieller, n=${cost.pairs}`,
    },
    typicalRow("cost, typical request", cost.typical),
  ];
}

function p95Row(segment: SufficientSegment): MetricRow {
  const latency = segment.latency;
  return {
    metric: GUARDRAIL_METRICS.p95_latency_ratio,
    guardrail: "p95_latency_ratio",
    sides: `${latency.baseline.p95.toFixed(0)} → ${latency.candidate.p95.toFixed(0)}`,
    estimate: times(latency.p95_ratio),
    interval:
      latency.p95_ratio_low === null
        ? ""
        : `${times(latency.p95_ratio_low)} – ${latency.p95_ratio_high === null ? "∞" : times(latency.p95_ratio_high)}`,
    test: "order statistic",
  };
}

const sides = (flip: PairedFlip) => `${percent(flip.baseline.rate)} → ${percent(flip.candidate.rate)}`;
const flips = (flip: PairedFlip) => `+${flip.gained}/-${flip.lost} p${pValue(flip.p_value)}`;
const rateInterval = (rate: { low: number; high: number }) => `${percent(rate.low)} – ${percent(rate.high)}`;

/** `+15.5 – +22.8 pt`: both ends of a difference of rates. */
function pointsInterval(low: number | null, high: number | null): string {
  if (low === null || high === null) return "";
  const signed = (value: number) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}`;
  return `${signed(low)} – ${signed(high)} pt`;
}

export const times = (value: number | null) => (value === null ? "n/a" : `×${value.toFixed(2)}`);
/** `=0.063` or `<0.001`, to follow a `p`. */
export const pValue = (value: number) => (value < 0.001 ? "<0.001" : `=${value.toFixed(3)}`);
