import type { Sides } from "../analyze/bounds.js";
import type { DriftReport, SegmentReport } from "../analyze/report-types.js";
import { checkName } from "./check-name.js";
import { boundsOf, detectableValue } from "./guardrail-bounds.js";
import { type Check, plan } from "./plan.js";
import { ALPHA, POWER } from "./promise.js";

export { ALPHA, POWER };

import type { Policy } from "./policy.js";
import type { GuardrailResult, GuardrailStatus, Verdict } from "./results.js";

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
): { verdict: Verdict; guardrails: GuardrailResult[]; warnings: string[] } {
  const sequential = options.sequential === true;
  const { checks, warnings } = plan(report, policy, sequential);
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
  return { verdict, guardrails: results, warnings };
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
    return {
      ...base,
      status: "inconclusive",
      observed: null,
      interval: null,
      reason: `${describe(check)}: ${check.missing}`,
    };
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

function describe(check: Check): string {
  return check.segment === null ? checkName(check) : `${checkName(check)} [${check.segment}]`;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
