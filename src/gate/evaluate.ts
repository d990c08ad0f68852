import type { DriftReport, SegmentReport, SufficientSegment } from "../analyze/report-types.js";
import { pairedRateDifference } from "../analyze/stats/index.js";
import type { GuardrailName, Limit, Policy } from "./policy.js";
import { confidenceSequence, MIN_SEQUENTIAL_N } from "./sequential.js";

export type GuardrailStatus = "pass" | "fail" | "inconclusive";
export type Verdict = "promote" | "hold" | "fail";

export interface GuardrailResult {
  readonly guardrail: GuardrailName;
  /** `null` overall; `tenant=acme` for a segment limit. */
  readonly segment: string | null;
  readonly status: GuardrailStatus;
  readonly observed: number | null;
  /** The 95% interval of the observed value, when the report has one. */
  readonly interval: readonly [number, number] | null;
  readonly limit: Limit;
  readonly reason: string;
}

interface Observation {
  readonly observed: number;
  readonly interval: readonly [number, number] | null;
}

/**
 * Judges a drift report against a policy (pure). A guardrail fails when its whole interval lies
 * past the limit, passes when its whole interval lies within, and is inconclusive when the
 * interval straddles the limit or there are too few pairs to tell. Without an interval (p95
 * latency ratio) the point estimate decides once the minimum pairs are there.
 * Verdict: fail if any fails, hold if any is inconclusive, else promote.
 */
export function evaluate(
  report: DriftReport,
  policy: Policy,
  options: { readonly sequential?: boolean } = {},
): { verdict: Verdict; guardrails: GuardrailResult[] } {
  const sequential = options.sequential === true;
  const results: GuardrailResult[] = [];
  for (const [name, limit] of Object.entries(policy.guardrails) as [GuardrailName, Limit][]) {
    results.push(judge(name, null, report.overall, limit, policy.min_pairs, sequential));
  }
  for (const segmentPolicy of policy.segments ?? []) {
    const segments = report.segments[segmentPolicy.by];
    for (const [name, limit] of Object.entries(segmentPolicy.guardrails) as [GuardrailName, Limit][]) {
      if (segments === undefined) {
        results.push({
          guardrail: name,
          segment: `${segmentPolicy.by}=*`,
          status: "inconclusive",
          observed: null,
          interval: null,
          limit,
          reason: `the report has no '${segmentPolicy.by}' segments (run it with --by ${segmentPolicy.by})`,
        });
        continue;
      }
      for (const segment of segments) {
        results.push(
          judge(
            name,
            `${segmentPolicy.by}=${segment.value}`,
            segment,
            limit,
            policy.min_pairs_per_segment,
            sequential,
          ),
        );
      }
    }
  }
  const verdict: Verdict = results.some((result) => result.status === "fail")
    ? "fail"
    : results.some((result) => result.status === "inconclusive")
      ? "hold"
      : "promote";
  return { verdict, guardrails: results };
}

function judge(
  name: GuardrailName,
  segment: string | null,
  report: SegmentReport,
  limit: Limit,
  minPairs: number,
  sequential: boolean,
): GuardrailResult {
  const base = { guardrail: name, segment, limit };
  if (!report.sufficient || report.pairs < minPairs) {
    return {
      ...base,
      status: "inconclusive",
      observed: null,
      interval: null,
      reason: `too few pairs to tell (${report.pairs} < ${minPairs})`,
    };
  }
  const observation = sequential
    ? (observeSequential(name, report) ?? observe(name, report))
    : observe(name, report);
  if (typeof observation === "string") {
    return { ...base, status: "inconclusive", observed: null, interval: null, reason: observation };
  }
  const [low, high] = observation.interval ?? [observation.observed, observation.observed];
  const bound = "max" in limit ? limit.max : limit.min;
  const past = "max" in limit ? low > bound : high < bound;
  const within = "max" in limit ? high <= bound : low >= bound;
  const status: GuardrailStatus = past ? "fail" : within ? "pass" : "inconclusive";
  const side = "max" in limit ? `max ${bound}` : `min ${bound}`;
  const shown = observation.interval
    ? `${format(observation.observed)} [${format(low)}, ${format(high)}]`
    : format(observation.observed);
  const reason =
    status === "fail"
      ? `${name} ${shown} is past its limit (${side})`
      : status === "pass"
        ? `${name} ${shown} is within its limit (${side})`
        : `${name} ${shown} straddles its limit (${side})`;
  return { ...base, status, observed: observation.observed, interval: observation.interval, reason };
}

function observe(name: GuardrailName, report: SufficientSegment): Observation | string {
  switch (name) {
    case "drift_rate":
      return { observed: report.drift.rate, interval: [report.drift.low, report.drift.high] };
    case "error_rate":
      return {
        observed: report.errors.candidate.rate,
        interval: [report.errors.candidate.low, report.errors.candidate.high],
      };
    case "refusal_rate_delta":
      return pairedDelta(report.refusal, report.pairs);
    case "tool_call_success_delta":
      return pairedDelta(report.tool_calls.all_ok, report.pairs);
    case "cost_per_task_ratio":
      if (!report.cost.priced) return "unpriced: no price for the model(s), so no cost ratio";
      if (report.cost.ratio === null || report.cost.ratio_low === null || report.cost.ratio_high === null) {
        return "too few priced pairs for a cost interval";
      }
      return { observed: report.cost.ratio, interval: [report.cost.ratio_low, report.cost.ratio_high] };
    case "p95_latency_ratio":
      return report.latency.p95_ratio === null
        ? "no latency"
        : { observed: report.latency.p95_ratio, interval: null };
  }
}

/**
 * Sequential mode: rates and paired deltas get always-valid confidence sequences (mSPRT) instead
 * of fixed-sample intervals, so the gate may be checked repeatedly during a canary. Ratios keep
 * their bootstrap intervals (no per-pair sums in the report); undefined means "use those".
 */
function observeSequential(name: GuardrailName, report: SufficientSegment): Observation | string | undefined {
  const sequence = (sum: number, sumOfSquares: number): Observation | string => {
    const interval = confidenceSequence(sum, sumOfSquares, report.pairs);
    return interval === undefined
      ? `too few pairs for a sequential decision (${report.pairs} < ${MIN_SEQUENTIAL_N})`
      : { observed: interval.estimate, interval: [interval.low, interval.high] };
  };
  switch (name) {
    case "drift_rate":
      return sequence(report.drift.count, report.drift.count);
    case "error_rate":
      return sequence(report.errors.candidate.count, report.errors.candidate.count);
    case "refusal_rate_delta":
      return sequence(
        report.refusal.gained - report.refusal.lost,
        report.refusal.gained + report.refusal.lost,
      );
    case "tool_call_success_delta": {
      const ok = report.tool_calls.all_ok;
      return sequence(ok.gained - ok.lost, ok.gained + ok.lost);
    }
    default:
      return undefined;
  }
}

/** candidate − baseline rate of a paired binary, with Newcombe's paired interval. */
function pairedDelta(
  binary: {
    readonly baseline: { readonly count: number };
    readonly candidate: { readonly count: number };
    readonly gained: number;
    readonly lost: number;
  },
  pairs: number,
): Observation | string {
  const both = binary.baseline.count - binary.lost;
  const neither = pairs - both - binary.lost - binary.gained;
  const interval = pairedRateDifference({
    both,
    baselineOnly: binary.lost,
    candidateOnly: binary.gained,
    neither,
  });
  if (interval === undefined) return "no pairs";
  return { observed: interval.estimate, interval: [interval.low, interval.high] };
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
