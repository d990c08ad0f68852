import {
  type Bounds,
  netDriftBounds,
  p95RatioBounds,
  pairedDeltaBounds,
  rateBounds,
  ratioOfMeansBounds,
  type Sides,
  scoreDeltaBounds,
  toolShareBounds,
} from "../analyze/bounds.js";
import { pairedMomentsOf, thirdMomentsOf } from "../analyze/outcome-report.js";
import type { DriftReport, SegmentReport, SufficientSegment } from "../analyze/report-types.js";
import { normalQuantile } from "../stats/index.js";
import { type GuardrailName, type Limit, type Policy, policyChecks } from "./policy.js";

export type GuardrailStatus = "pass" | "fail" | "inconclusive" | "not_judged" | "warn";
export type Verdict = "promote" | "hold" | "fail";

/**
 * The gate's promise: P(fail | every true value within its limit) <= ALPHA, and for each check
 * P(pass | its true value at or past its limit) <= ALPHA. The fail side of every judged check is
 * bounded at ALPHA / m (Bonferroni over the m guardrail × segment checks judged); the pass side
 * needs no adjustment, since promote requires every check to pass (an intersection–union test).
 */
export const ALPHA = 0.025;
/** Power at which "the effect it can detect" and the segment minimum are stated. */
export const POWER = 0.8;

export interface GuardrailResult {
  readonly guardrail: GuardrailName;
  /** The score, check or tool a targeted guardrail is about (`task_success`); null otherwise. */
  readonly target: string | null;
  /** `warn`: shown, never deciding (status `warn` when past its limit). */
  readonly action: "fail" | "warn";
  /** `null` overall; `tenant=acme` for a segment limit. */
  readonly segment: string | null;
  readonly status: GuardrailStatus;
  readonly observed: number | null;
  /**
   * [low, high]: the fail-side bound at ALPHA / m and the pass-side bound at ALPHA (which is
   * which follows the limit: for `max`, low is the fail side). Infinite ends are null.
   */
  readonly interval: readonly [number | null, number | null] | null;
  readonly limit: Limit;
  readonly reason: string;
  /** The one-sided level of the fail-side bound (ALPHA / m), when judged. */
  readonly fail_alpha: number | null;
  /** The true value at which this check fails with POWER probability at the current n. */
  readonly detectable: number | null;
  /** For a segment too small to judge: the pairs it would need. */
  readonly required_pairs: number | null;
}

interface Check {
  readonly guardrail: GuardrailName;
  readonly target: string | null;
  readonly segment: string | null;
  readonly report: SegmentReport | null;
  readonly limit: Limit;
  readonly minPairs: number;
  /** Why it is not judged (segment too small for its limit), with the size it would need. */
  readonly notJudged?: { readonly reason: string; readonly required: number | null };
  readonly missing?: string;
}

/**
 * Judges a drift report against a policy (pure). A guardrail fails when its fail-side bound lies
 * past the limit, passes when its pass-side bound lies within, and is inconclusive otherwise or
 * with too few pairs. A segment too small to detect its limit is `not_judged` (shown, with the size
 * it would need) and holds nothing. Verdict: fail if any fails, hold if any is inconclusive,
 * else promote.
 */
export function evaluate(
  report: DriftReport,
  policy: Policy,
  options: { readonly sequential?: boolean } = {},
): { verdict: Verdict; guardrails: GuardrailResult[] } {
  const sequential = options.sequential === true;
  const checks = plan(report, policy, sequential);
  const deciding = (check: Check) => check.limit.action !== "warn";
  const judged = checks.filter(
    (check) => deciding(check) && check.notJudged === undefined && check.missing === undefined,
  ).length;
  const failAlpha = ALPHA / Math.max(1, judged);
  // A warn check is left out of the family: its fail side is at ALPHA, unadjusted.
  const results = checks.map((check) => judgeCheck(check, deciding(check) ? failAlpha : ALPHA, sequential));
  const counted = results.filter((result) => result.action !== "warn");
  const verdict: Verdict = counted.some((result) => result.status === "fail")
    ? "fail"
    : counted.some((result) => result.status === "inconclusive")
      ? "hold"
      : "promote";
  return { verdict, guardrails: results };
}

function plan(report: DriftReport, policy: Policy, sequential: boolean): Check[] {
  const checks: Check[] = [];
  for (const { guardrail, target, limit } of policyChecks(policy.guardrails)) {
    checks.push({
      guardrail,
      target,
      segment: null,
      report: report.overall,
      limit,
      minPairs: policy.min_pairs,
    });
  }
  for (const segmentPolicy of policy.segments ?? []) {
    const segments = report.segments[segmentPolicy.by];
    for (const { guardrail, target, limit } of policyChecks(segmentPolicy.guardrails)) {
      if (segments === undefined) {
        checks.push({
          guardrail,
          target,
          segment: `${segmentPolicy.by}=*`,
          report: null,
          limit,
          minPairs: policy.min_pairs_per_segment,
          missing: `the report has no '${segmentPolicy.by}' segments (run it with --by ${segmentPolicy.by})`,
        });
        continue;
      }
      const required = requiredPairs(guardrail, target, report.overall, limit, sequential);
      for (const segment of segments) {
        const base = {
          guardrail,
          target,
          segment: `${segmentPolicy.by}=${segment.value}`,
          report: segment,
          limit,
          minPairs: policy.min_pairs_per_segment,
        };
        const needed = Math.max(policy.min_pairs_per_segment, required ?? Number.POSITIVE_INFINITY);
        checks.push(
          segment.pairs >= needed
            ? base
            : {
                ...base,
                notJudged: {
                  reason:
                    required === null
                      ? `not judged: the overall data cannot show this limit is met, so no segment is judged on it`
                      : `not judged: ${segment.pairs} pairs < ${Math.ceil(needed)} needed to detect its limit with ${POWER * 100}% power`,
                  required: Number.isFinite(needed) ? Math.ceil(needed) : null,
                },
              },
        );
      }
    }
  }
  return checks;
}

function judgeCheck(check: Check, failAlpha: number, sequential: boolean): GuardrailResult {
  const base = {
    guardrail: check.guardrail,
    target: check.target,
    action: check.limit.action ?? "fail",
    segment: check.segment,
    limit: check.limit,
    fail_alpha: null,
    detectable: null,
    required_pairs: null,
  };
  if (check.missing !== undefined) {
    return { ...base, status: "inconclusive", observed: null, interval: null, reason: check.missing };
  }
  if (check.notJudged !== undefined) {
    return {
      ...base,
      status: "not_judged",
      observed: null,
      interval: null,
      reason: `${describe(check)} ${check.notJudged.reason}`,
      required_pairs: check.notJudged.required,
    };
  }
  const report = check.report as SegmentReport;
  if (!report.sufficient || report.pairs < check.minPairs) {
    return {
      ...base,
      status: "inconclusive",
      observed: null,
      interval: null,
      reason: `${describe(check)}: too few pairs to tell (${report.pairs} < ${check.minPairs})`,
    };
  }
  const isMax = "max" in check.limit;
  const bound = "max" in check.limit ? check.limit.max : check.limit.min;
  const sides: Sides = isMax
    ? { alphaLow: failAlpha, alphaHigh: ALPHA, sequential }
    : { alphaLow: ALPHA, alphaHigh: failAlpha, sequential };
  const bounds = boundsOf(check.guardrail, check.target, report, sides);
  if (typeof bounds === "string") {
    return {
      ...base,
      fail_alpha: failAlpha,
      status: "inconclusive",
      observed: null,
      interval: null,
      reason: `${describe(check)}: ${bounds}`,
    };
  }
  const failBound = isMax ? bounds.low : bounds.high;
  const passBound = isMax ? bounds.high : bounds.low;
  const past = isMax ? failBound > bound : failBound < bound;
  const within = isMax ? passBound <= bound : passBound >= bound;
  const warnOnly = check.limit.action === "warn";
  const status: GuardrailStatus = past ? (warnOnly ? "warn" : "fail") : within ? "pass" : "inconclusive";
  const side = isMax ? `max ${bound}` : `min ${bound}`;
  const shown = `${format(bounds.estimate)} [${format(bounds.low)}, ${format(bounds.high)}]`;
  const verb =
    status === "fail"
      ? "is past its limit"
      : status === "pass"
        ? "is within its limit"
        : "straddles its limit";
  const detectable = detectableValue(bounds, isMax, bound, failAlpha);
  return {
    ...base,
    status,
    observed: bounds.estimate,
    interval: [finite(bounds.low), finite(bounds.high)],
    fail_alpha: failAlpha,
    detectable,
    reason: `${describe(check)} ${shown} ${verb} (${side})${detectable === null ? "" : `; detects ${format(detectable)} at ${POWER * 100}% power`}`,
  };
}

/** The interval each guardrail is judged on (analyze/bounds.ts), or why there is none. */
function boundsOf(
  name: GuardrailName,
  target: string | null,
  report: SufficientSegment,
  sides: Sides,
): Bounds | string {
  switch (name) {
    case "score_delta": {
      const score = report.scores[target ?? ""];
      if (score === undefined) return `no score or check '${target}' on these pairs`;
      const bounds = scoreDeltaBounds(
        pairedMomentsOf(score.moments),
        score.binary ? { gained: score.gained ?? 0, lost: score.lost ?? 0 } : null,
        sides,
      );
      return bounds ?? `no pairs where both sides have '${target}'`;
    }
    case "tool_share_delta": {
      const tool = report.tools[target ?? ""];
      const tasks = report.latency.pairs;
      const counts = tool
        ? {
            both: tool.share.baseline.count - tool.share.lost,
            gained: tool.share.gained,
            lost: tool.share.lost,
          }
        : { both: 0, gained: 0, lost: 0 };
      return toolShareBounds(counts, tasks, sides) ?? "no completed pairs";
    }
    case "tool_calls_ratio": {
      const tool = report.tools[target ?? ""];
      if (tool === undefined) return `no calls to '${target}' on either side`;
      return (
        ratioOfMeansBounds(
          pairedMomentsOf(tool.calls.moments),
          sides,
          thirdMomentsOf(tool.calls.third_moments),
        ) ?? `no baseline calls to '${target}' to compare with`
      );
    }
    case "drift_rate": {
      const drift = report.drift;
      if (drift.aa === null) return drift.note ?? "no A/A capture: drift cannot be told from noise";
      const bounds = netDriftBounds(
        {
          pairs: drift.candidate.total,
          differing: drift.candidate.count,
          aaPairs: drift.aa.total,
          aaDiffering: drift.aa.count,
          matched: {
            both: drift.matched.both,
            candidateOnly: drift.matched.candidate_only,
            aaOnly: drift.matched.aa_only,
            neither: drift.matched.neither,
          },
        },
        sides,
      );
      return bounds ?? "no completed pairs to compare";
    }
    case "error_rate":
      return rateBounds(report.errors.candidate.count, report.pairs, sides);
    case "refusal_rate_delta":
      return pairedDeltaBounds(countsOf(report.refusal), report.pairs, sides) ?? "no pairs";
    case "tool_call_success_delta":
      return pairedDeltaBounds(countsOf(report.tool_calls.all_ok), report.pairs, sides) ?? "no pairs";
    case "cost_per_task_ratio": {
      if (!report.cost.priced) return "unpriced: no price for the model(s), so no cost ratio";
      return (
        ratioOfMeansBounds(
          pairedMomentsOf(report.cost.moments),
          sides,
          thirdMomentsOf(report.cost.third_moments),
        ) ?? "too few completed, priced pairs for a cost interval"
      );
    }
    case "p95_latency_ratio":
      return (
        p95RatioBounds({ pairs: report.latency.pairs, ...report.latency.quantiles }, sides) ??
        "no latency on completed pairs"
      );
  }
}

function countsOf(binary: SufficientSegment["refusal"]) {
  return {
    baseline: binary.baseline.count,
    candidate: binary.candidate.count,
    gained: binary.gained,
    lost: binary.lost,
  };
}

/**
 * The pairs a segment needs before it is judged on a limit: the n at which a segment with no
 * change (the overall segment's variability, scaled by size) would pass with POWER probability.
 * Derived from the overall data's pass-side standard error, so it is the same for every segment
 * and depends on no segment's own outcome. null when the overall data cannot be judged at all.
 */
function requiredPairs(
  name: GuardrailName,
  target: string | null,
  overall: SegmentReport,
  limit: Limit,
  sequential: boolean,
): number | null {
  if (!overall.sufficient) return null;
  const isMax = "max" in limit;
  const bound = "max" in limit ? limit.max : limit.min;
  const bounds = boundsOf(name, target, overall, { alphaLow: ALPHA, alphaHigh: ALPHA, sequential });
  if (typeof bounds === "string") return null;
  const z = normalQuantile(1 - ALPHA);
  const se = (isMax ? bounds.high - bounds.estimate : bounds.estimate - bounds.low) / z;
  const unchanged = noChangeValue(name, overall);
  const distance = isMax ? bound - unchanged : unchanged - bound;
  if (!(se > 0) || !Number.isFinite(se) || distance <= 0) return null;
  const zPower = normalQuantile(POWER);
  return overall.pairs * ((se * (z + zPower)) / distance) ** 2;
}

/** What the guardrail reads when the candidate changes nothing. */
function noChangeValue(name: GuardrailName, report: SufficientSegment): number {
  switch (name) {
    case "error_rate":
      return report.errors.baseline.rate;
    case "cost_per_task_ratio":
    case "p95_latency_ratio":
    case "tool_calls_ratio":
      return 1;
    default:
      return 0;
  }
}

/** limit ± (z_fail + z_power)·se: the true value this check fails with POWER probability. */
function detectableValue(bounds: Bounds, isMax: boolean, limit: number, failAlpha: number): number | null {
  const zFail = normalQuantile(1 - failAlpha);
  const failBound = isMax ? bounds.low : bounds.high;
  if (!Number.isFinite(failBound)) return null;
  const se = Math.abs(bounds.estimate - failBound) / zFail;
  // A bound at the estimate (no events yet) says nothing about the spread.
  if (!(se > 0)) return null;
  const reach = (zFail + normalQuantile(POWER)) * se;
  return isMax ? limit + reach : limit - reach;
}

function describe(check: Check): string {
  const name = check.target === null ? check.guardrail : `${check.guardrail}(${check.target})`;
  return check.segment === null ? name : `${name} [${check.segment}]`;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
