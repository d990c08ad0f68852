import type { PairCategory } from "./categories.js";
import type { JudgeVerdict } from "./judge.js";

/**
 * One judgement of one pair by one judge release: the store's `judgements` table, keyed by pair
 * (candidate release, request id, replica) and judge release, replacing by key as pairs do. The
 * pair's labels, time and category are copied in, so a report segments judgements without a join.
 */
export interface JudgementRow {
  readonly candidate_release: string;
  readonly baseline_release: string;
  readonly request_id: string;
  readonly replica: number;
  readonly judge_release: string;
  readonly judge_name: string;
  readonly judge_version: string;
  /** `provider/snapshot` of the judge model. */
  readonly judge_model: string;
  /** Seconds since the epoch, UTC: the pair's time, so report windows apply to judgements too. */
  readonly ts: number;
  readonly label_keys: readonly string[];
  readonly label_values: readonly string[];
  readonly category: PairCategory;
  /** For the candidate: better, worse, same (also when the orders disagreed), or unparseable. */
  readonly verdict: JudgeVerdict;
  readonly inconsistent: number;
  /** What each order said in the candidate's terms (better / worse / same / unparseable). */
  readonly baseline_first: JudgeVerdict;
  readonly candidate_first: JudgeVerdict;
  /** One line of why, credentials scrubbed. */
  readonly reason: string;
  /** Content hash of (judge release, request, both answers): equal texts share one verdict. */
  readonly cache_key: string;
  /** 1 when the verdict was taken from an earlier judgement with the same cache key (no calls). */
  readonly cached: number;
  readonly model_calls: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  /** USD at write time; 0 when the judge model is not in the pricing table (`priced` = 0). */
  readonly cost: number;
  readonly priced: number;
  readonly version: number;
}
