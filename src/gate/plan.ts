import type { DriftReport, SegmentReport } from "../analyze/report-types.js";
import { checkName } from "./check-name.js";
import { requiredPairs } from "./guardrail-bounds.js";
import { type GuardrailName, type Limit, type Policy, policyChecks } from "./policy.js";
import { POWER } from "./promise.js";

/** One check a policy asks of a report: a guardrail, overall or on one segment. */
export interface Check {
  readonly guardrail: GuardrailName;
  readonly target: string | null;
  readonly segment: string | null;
  readonly report: SegmentReport | null;
  readonly limit: Limit;
  readonly minPairs: number;
  /**
   * Why it is not judged (a segment too small for its limit, with the size it would need; tool
   * calls nobody checked; a segment that is the whole population, judged as the overall).
   */
  readonly notJudged?: { readonly reason: string; readonly required: number | null };
  readonly missing?: string;
}

/**
 * The checks a policy asks of a report: each guardrail overall and per segment, with what keeps
 * one from being judged, and warnings about what the data cannot give as the policy asked (a
 * label no record has). evaluate.ts judges them.
 */
export function plan(
  report: DriftReport,
  policy: Policy,
  sequential: boolean,
): { checks: Check[]; warnings: string[] } {
  const checks: Check[] = [];
  const warnings: string[] = [];
  for (const { guardrail, target, limit } of policyChecks(policy.guardrails)) {
    checks.push(
      unchecked({
        guardrail,
        target,
        segment: null,
        report: report.overall,
        limit,
        minPairs: policy.min_pairs,
      }),
    );
  }
  for (const segmentPolicy of policy.segments ?? []) {
    const segments = report.segments[segmentPolicy.by];
    const [only, ...others] = segments ?? [];
    if (only !== undefined && others.length === 0 && only.pairs === report.overall.pairs) {
      warnings.push(
        only.value === NO_LABEL
          ? `no record has the label '${segmentPolicy.by}': its only segment, ${segmentPolicy.by}=${NO_LABEL}, holds all ${only.pairs} pairs and is judged as the overall`
          : `every record has ${segmentPolicy.by}=${only.value}: that segment holds all ${only.pairs} pairs and is judged as the overall`,
      );
      checks.push(...asOverall(checks, segmentPolicy, only, report, policy));
      continue;
    }
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
            ? unchecked(base)
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
  return { checks, warnings };
}

/** The value of a label a pair does not carry (analyze/report-queries.ts's `segmentExpression`). */
const NO_LABEL = "(none)";

/**
 * A segment holding every pair (a label no record has, or one value on every record) is the
 * overall population: judging it again at its own limit would only add a check to the family.
 * Each of its guardrails the overall already has is judged once, at the stricter of the two
 * limits, and listed as not judged on its own; one the overall lacks is judged on the overall
 * data with the overall minimum (not the per-segment power rule). A `warn` limit, or one in the
 * other direction, is a different check and is kept beside the overall's.
 */
function asOverall(
  checks: Check[],
  segmentPolicy: NonNullable<Policy["segments"]>[number],
  whole: SegmentReport,
  report: DriftReport,
  policy: Policy,
): Check[] {
  const label = `${segmentPolicy.by}=${whole.value}`;
  const added: Check[] = [];
  for (const { guardrail, target, limit } of policyChecks(segmentPolicy.guardrails)) {
    const index = checks.findIndex(
      (check) =>
        check.guardrail === guardrail &&
        check.target === target &&
        check.segment === null &&
        "max" in check.limit === "max" in limit &&
        (check.limit.action ?? "fail") === (limit.action ?? "fail"),
    );
    const existing = checks[index];
    if (existing === undefined) {
      added.push(
        unchecked({
          guardrail,
          target,
          segment: label,
          report: report.overall,
          limit,
          minPairs: policy.min_pairs,
        }),
      );
      continue;
    }
    const stricter =
      "max" in limit && "max" in existing.limit
        ? limit.max < existing.limit.max
        : "min" in limit && "min" in existing.limit && limit.min > existing.limit.min;
    if (stricter) checks[index] = { ...existing, limit };
    const used = stricter ? limit : existing.limit;
    added.push({
      guardrail,
      target,
      segment: label,
      report: whole,
      limit,
      minPairs: policy.min_pairs,
      notJudged: {
        reason: `not judged: the segment holds all ${whole.pairs} pairs; judged once, as the overall ${checkName({ guardrail, target })}${stricter ? " at this segment's stricter limit" : ""} (${"max" in used ? `max ${used.max}` : `min ${used.min}`})`,
        required: null,
      },
    });
  }
  return added;
}

/**
 * `tool_call_success_delta` reads pairs whose every call was schema-valid and succeeded: where a
 * side's calls were never checked against schemas (no manifest), a pass would vouch for validity
 * nobody measured, so the check is not judged and says why.
 */
function unchecked(check: Check): Check {
  const report = check.report;
  if (check.guardrail !== "tool_call_success_delta" || report === null || !report.sufficient) return check;
  const note = report.tool_calls.validity_note;
  if (note === null) return check;
  return {
    ...check,
    notJudged: {
      reason: `not judged: tool-call validity ${note}, so pairs with all tool calls ok would count failed calls only`,
      required: null,
    },
  };
}
