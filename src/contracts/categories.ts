/** One category per pair: the first that applies, in this order. */
export const PAIR_CATEGORIES = [
  "candidate_error",
  "refusal_flip",
  "outcome_mismatch",
  "tool_sequence_drift",
  "args_drift",
  "text_only",
  "identical",
] as const;

export type PairCategory = (typeof PAIR_CATEGORIES)[number];
