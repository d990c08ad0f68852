import type { GuardrailResult } from "./results.js";

/** `score_delta(task_success)` for a targeted guardrail, the plain name otherwise. */
export function checkName(result: Pick<GuardrailResult, "guardrail" | "target">): string {
  return result.target === null ? result.guardrail : `${result.guardrail}(${result.target})`;
}

/** The guardrail, its target and its segment: `drift_rate [tenant=acme]`, as every format names a check. */
export function checkLabel(result: Pick<GuardrailResult, "guardrail" | "target" | "segment">): string {
  return result.segment === null ? checkName(result) : `${checkName(result)} [${result.segment}]`;
}

/** The reason, led by the check's label when it does not already start with it. */
export function labelledReason(result: GuardrailResult): string {
  const label = checkLabel(result);
  return result.reason.startsWith(label) ? result.reason : `${label}: ${result.reason}`;
}
