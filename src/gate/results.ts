import type { GuardrailName, Limit } from "./policy.js";

export type GuardrailStatus = "pass" | "fail" | "inconclusive" | "not_judged" | "warn";
export type Verdict = "promote" | "hold" | "fail";

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
