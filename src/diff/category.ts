import { PAIR_CATEGORIES, type PairCategory } from "../contracts/categories.js";

export { PAIR_CATEGORIES, type PairCategory };

/**
 * Behavioural drift is a change in what the agent *did*: its refusal, its structured outcome, its
 * tool calls. Provider failures are kept apart (they are reliability, not behaviour), and a
 * change of wording alone is reported but not counted as drift.
 */
export const DRIFT_CATEGORIES: ReadonlySet<PairCategory> = new Set([
  "refusal_flip",
  "outcome_mismatch",
  "tool_sequence_drift",
  "args_drift",
]);

export function emptyCategoryCounts(): Record<PairCategory, number> {
  return {
    candidate_error: 0,
    refusal_flip: 0,
    outcome_mismatch: 0,
    tool_sequence_drift: 0,
    args_drift: 0,
    text_only: 0,
    identical: 0,
  };
}
