import type { PairCategory } from "./categories.js";

/**
 * The store's unit: one row per (candidate release, request id, replica). Everything a report,
 * a gate or a harvest needs is here, so none of them re-reads captures. Column names are the
 * SQL column names; one concept, one name, everywhere.
 *
 * A/A pairs (the baseline release re-run against itself) are stored the same way, with
 * `candidate_release` equal to `baseline_release` and `replica` ≥ 1: the noise floor is a query.
 */
export interface PairRow {
  readonly candidate_release: string;
  readonly baseline_release: string;
  readonly request_id: string;
  readonly replica: number;
  readonly session: string;
  /** Seconds since the epoch, UTC (ClickHouse DateTime). */
  readonly ts: number;
  readonly label_keys: readonly string[];
  readonly label_values: readonly string[];
  readonly category: PairCategory;
  readonly reason: string;
  readonly paths: readonly string[];
  readonly trajectory_match: number;
  readonly arguments_match: number;
  readonly outcome_match: number;
  readonly output_match: number;
  readonly edit_distance: number;
  readonly alignment: string;
  readonly baseline_steps: string;
  readonly candidate_steps: string;
  readonly baseline_refusal: number;
  readonly candidate_refusal: number;
  readonly baseline_error: string;
  readonly candidate_error: string;
  readonly baseline_tool_calls: number;
  readonly candidate_tool_calls: number;
  readonly baseline_invalid_calls: number;
  readonly candidate_invalid_calls: number;
  readonly baseline_failed_calls: number;
  readonly candidate_failed_calls: number;
  /** Candidate calls that no baseline recording answered (executed candidates only). */
  readonly unrecorded_calls: number;
  readonly baseline_input_tokens: number;
  readonly baseline_output_tokens: number;
  readonly baseline_cached_tokens: number;
  readonly candidate_input_tokens: number;
  readonly candidate_output_tokens: number;
  readonly candidate_cached_tokens: number;
  /** Cost in USD at write time; meaningful only when the matching `*_priced` flag is 1. */
  readonly baseline_cost: number;
  readonly candidate_cost: number;
  readonly baseline_priced: number;
  readonly candidate_priced: number;
  readonly baseline_model: string;
  readonly candidate_model: string;
  readonly baseline_latency_ms: number;
  readonly candidate_latency_ms: number;
  /**
   * Both raw exchange records as JSON `{baseline, candidate}`, for examples and harvesting; empty
   * for an identical pair, which is never either.
   */
  readonly raw: string;
  /** Scores and checks, aligned by position (normalize/pair-scores.ts); `*_scored` 0 = the side has none. */
  readonly score_names: readonly string[];
  readonly score_sources: readonly string[];
  readonly baseline_scores: readonly number[];
  readonly candidate_scores: readonly number[];
  readonly baseline_scored: readonly number[];
  readonly candidate_scored: readonly number[];
  readonly baseline_check_reasons: readonly string[];
  readonly candidate_check_reasons: readonly string[];
  /** Calls and failed calls per tool name, both sides, aligned with `tool_names`. */
  readonly tool_names: readonly string[];
  readonly baseline_tool_counts: readonly number[];
  readonly candidate_tool_counts: readonly number[];
  readonly baseline_tool_failures: readonly number[];
  readonly candidate_tool_failures: readonly number[];
  /** Write version for ReplacingMergeTree: a re-write of the same key replaces, never adds. */
  readonly version: number;
}

/** A release as the store keeps it: the resolved manifest under its content id. */
export interface ReleaseRow {
  readonly release_id: string;
  readonly name: string;
  readonly release_version: string;
  readonly model: string;
  readonly manifest: string;
  readonly registered_at: number;
  readonly version: number;
}

/**
 * A record that found no partner: counted per candidate, never dropped. `side` says which capture
 * held it; `candidate_release` is the candidate it was to be compared with.
 */
export interface UnpairedRow {
  readonly candidate_release: string;
  readonly side: "baseline" | "candidate";
  readonly request_id: string;
  readonly replica: number;
  readonly ts: number;
  readonly label_keys: readonly string[];
  readonly label_values: readonly string[];
  readonly version: number;
}
