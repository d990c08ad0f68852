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
import type { SegmentReport, SufficientSegment } from "../analyze/report-types.js";
import { normalQuantile } from "../stats/index.js";
import type { GuardrailName, Limit } from "./policy.js";
import { ALPHA, POWER } from "./promise.js";

/**
 * Each guardrail's interval from a report segment (analyze/bounds.ts does the statistics), the
 * segment size a limit needs, and the effect a check can detect: what evaluate.ts judges with.
 */
/** The interval each guardrail is judged on (analyze/bounds.ts), or why there is none. */
export function boundsOf(
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

export function countsOf(binary: SufficientSegment["refusal"]) {
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
export function requiredPairs(
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
export function noChangeValue(name: GuardrailName, report: SufficientSegment): number {
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
export function detectableValue(
  bounds: Bounds,
  isMax: boolean,
  limit: number,
  failAlpha: number,
): number | null {
  const zFail = normalQuantile(1 - failAlpha);
  const failBound = isMax ? bounds.low : bounds.high;
  if (!Number.isFinite(failBound)) return null;
  const se = Math.abs(bounds.estimate - failBound) / zFail;
  // A bound at the estimate (no events yet) says nothing about the spread.
  if (!(se > 0)) return null;
  const reach = (zFail + normalQuantile(POWER)) * se;
  return isMax ? limit + reach : limit - reach;
}
