import type { DriftReport, ReleaseRef } from "../analyze/report-types.js";
import type { ConsecutiveResult } from "./consecutive.js";
import type { GuardrailResult, Verdict } from "./results.js";

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
