import type { DriftReport, ReleaseRef } from "../analyze/report-types.js";
import type { ConsecutiveResult } from "./consecutive.js";
import type { GuardrailResult, Verdict } from "./evaluate.js";

/** The gate's canonical output; JUnit, Markdown and GitHub annotations are rendered from it (render/verdict-text.ts). */
export interface GateVerdict {
  readonly schema: "shadowdiff.verdict/v1";
  readonly verdict: Verdict;
  readonly candidate: ReleaseRef;
  readonly baseline: ReleaseRef;
  readonly policy: { readonly source: string; readonly sha256: string };
  readonly window: DriftReport["window"];
  readonly pairs: number;
  /** `sequential`: every guardrail judged on an always-valid bound (safe under repeated looks). */
  readonly mode: "fixed" | "sequential";
  readonly guardrails: readonly GuardrailResult[];
  /** With a policy's `consecutive` in sequential mode: the looks behind the verdict. */
  readonly consecutive?: ConsecutiveResult;
  /** What the policy asked for that the data could not give as asked (a label no record has). */
  readonly warnings?: readonly string[];
}

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

/** Text escaped for XML (JUnit) and HTML alike: in content and in double-quoted attributes. */
export function escapeMarkup(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
