import { PAIR_CATEGORIES } from "../contracts/categories.js";
import { DRIFT_CATEGORIES } from "../diff/category.js";
import { sqlIdentifier, sqlNumber, sqlString, sqlStrings, sqlTuple } from "../store/sql.js";

/**
 * SQL of the drift report. Every aggregate is computed by ClickHouse; Node receives one row per
 * segment and bounded, hash-ordered samples. Everything here is deterministic regardless of how
 * the table's parts are merged, so a report is byte-identical however often the same pairs were
 * written: sums are over integers (costs in nano-dollars, latencies in microseconds), quantiles
 * are exact, and samples are chosen by a hash of the pair key, not by read order.
 * The SQL stays within what ClickHouse 18.16 (Debian) and chDB (26.x) both accept.
 */
export interface PairScope {
  readonly database: string;
  readonly candidate: string;
  readonly baseline: string;
  /** Seconds since the epoch, inclusive / exclusive. */
  readonly since?: number;
  readonly until?: number;
}

/** `(none)` for pairs without the label, so a segment never silently disappears. */
export function segmentExpression(dimension: string | null): string {
  if (dimension === null) return "'all'";
  const key = sqlString(dimension);
  return `if(has(label_keys, ${key}), label_values[indexOf(label_keys, ${key})], '(none)')`;
}

export function scopeFilter(scope: PairScope): string {
  const parts = [
    `candidate_release = ${sqlString(scope.candidate)}`,
    `baseline_release = ${sqlString(scope.baseline)}`,
  ];
  // The A/A pairs of the baseline are stored under candidate = baseline with replica >= 1.
  if (scope.candidate === scope.baseline) parts.push("replica >= 1");
  if (scope.since !== undefined) parts.push(`ts >= ${sqlNumber(scope.since)}`);
  if (scope.until !== undefined) parts.push(`ts < ${sqlNumber(scope.until)}`);
  return parts.join(" AND ");
}

const DRIFT_LIST = sqlTuple([...DRIFT_CATEGORIES]);
const TOOLS_OK_BASELINE = "(baseline_invalid_calls = 0 AND baseline_failed_calls = 0)";
const TOOLS_OK_CANDIDATE = "(candidate_invalid_calls = 0 AND candidate_failed_calls = 0)";
const BOTH_PRICED = "(baseline_priced = 1 AND candidate_priced = 1)";
const NANO = "1000000000";

/** Column names of one aggregate row (all integers or exact quantiles). */
export interface SegmentAggregateRow {
  readonly segment: string;
  readonly pairs: number | string;
  readonly [column: string]: unknown;
}

/**
 * One row per segment value. `noisePaths` are the paths judged noise against the A/A run: a
 * drift-category pair all of whose paths are noise is counted as noise-only, not drift.
 */
export function segmentAggregatesSql(
  scope: PairScope,
  dimension: string | null,
  noisePaths: readonly string[],
): string {
  const db = sqlIdentifier(scope.database);
  const noiseOnly =
    noisePaths.length === 0
      ? "toUInt64(0)"
      : `countIf(category IN ${DRIFT_LIST} AND arrayAll(p -> has(${sqlStrings(noisePaths)}, p), paths))`;
  const categoryColumns = PAIR_CATEGORIES.map(
    (category) => `countIf(category = ${sqlString(category)}) AS c_${category}`,
  );
  return `SELECT
  ${segmentExpression(dimension)} AS segment,
  count() AS pairs,
  ${categoryColumns.join(",\n  ")},
  countIf(category IN ${DRIFT_LIST}) AS drift_category_pairs,
  ${noiseOnly} AS noise_only,
  sum(baseline_refusal) AS baseline_refusals,
  sum(candidate_refusal) AS candidate_refusals,
  countIf(baseline_refusal = 0 AND candidate_refusal = 1) AS refusal_gained,
  countIf(baseline_refusal = 1 AND candidate_refusal = 0) AS refusal_lost,
  countIf(baseline_error != '') AS baseline_errors,
  countIf(candidate_error != '') AS candidate_errors,
  countIf(baseline_error = '' AND candidate_error != '') AS error_gained,
  countIf(baseline_error != '' AND candidate_error = '') AS error_lost,
  sum(baseline_tool_calls) AS sum_baseline_tool_calls,
  sum(candidate_tool_calls) AS sum_candidate_tool_calls,
  sum(baseline_invalid_calls) AS sum_baseline_invalid_calls,
  sum(candidate_invalid_calls) AS sum_candidate_invalid_calls,
  sum(baseline_failed_calls) AS sum_baseline_failed_calls,
  sum(candidate_failed_calls) AS sum_candidate_failed_calls,
  countIf(${TOOLS_OK_BASELINE}) AS baseline_tools_ok,
  countIf(${TOOLS_OK_CANDIDATE}) AS candidate_tools_ok,
  countIf(${TOOLS_OK_BASELINE} AND NOT ${TOOLS_OK_CANDIDATE}) AS tools_ok_lost,
  countIf(NOT ${TOOLS_OK_BASELINE} AND ${TOOLS_OK_CANDIDATE}) AS tools_ok_gained,
  sum(baseline_input_tokens + baseline_output_tokens) AS baseline_tokens,
  sum(candidate_input_tokens + candidate_output_tokens) AS candidate_tokens,
  quantileExact(0.5)(baseline_input_tokens + baseline_output_tokens) AS baseline_tokens_median,
  quantileExact(0.5)(candidate_input_tokens + candidate_output_tokens) AS candidate_tokens_median,
  countIf(${BOTH_PRICED}) AS priced_pairs,
  countIf(baseline_priced = 0) AS baseline_unpriced,
  countIf(candidate_priced = 0) AS candidate_unpriced,
  sumIf(toUInt64(round(baseline_cost * ${NANO})), ${BOTH_PRICED}) AS baseline_cost_nano,
  sumIf(toUInt64(round(candidate_cost * ${NANO})), ${BOTH_PRICED}) AS candidate_cost_nano,
  quantileExactIf(0.5)(baseline_cost, ${BOTH_PRICED}) AS baseline_cost_median,
  quantileExactIf(0.5)(candidate_cost, ${BOTH_PRICED}) AS candidate_cost_median,
  quantilesExact(0.5, 0.95, 0.99)(baseline_latency_ms) AS baseline_latency,
  quantilesExact(0.5, 0.95, 0.99)(candidate_latency_ms) AS candidate_latency,
  toUnixTimestamp(min(ts)) AS first_ts,
  toUnixTimestamp(max(ts)) AS last_ts
FROM ${db}.pairs FINAL
WHERE ${scopeFilter(scope)}
GROUP BY segment
ORDER BY pairs DESC, segment`;
}

/**
 * A bounded sample of paired cost and latency for the signed-rank tests and bootstrap intervals:
 * per segment, the `limit` pairs with the smallest hash of their key. Hash order is a fixed
 * pseudo-random order, so the sample is unbiased and the same on every run.
 */
export function pairedSampleSql(scope: PairScope, dimension: string | null, limit: number): string {
  const db = sqlIdentifier(scope.database);
  return `SELECT
  ${segmentExpression(dimension)} AS segment,
  baseline_latency_ms, candidate_latency_ms,
  baseline_cost, candidate_cost, ${BOTH_PRICED} AS priced,
  baseline_input_tokens + baseline_output_tokens AS baseline_tokens,
  candidate_input_tokens + candidate_output_tokens AS candidate_tokens
FROM ${db}.pairs FINAL
WHERE ${scopeFilter(scope)}
ORDER BY segment, cityHash64(request_id, replica), request_id, replica
LIMIT ${sqlNumber(limit)} BY segment`;
}

/** How often each collapsed path differs, over the scope. */
export function pathCountsSql(scope: PairScope, limit: number): string {
  const db = sqlIdentifier(scope.database);
  return `SELECT path, count() AS n
FROM ${db}.pairs FINAL
ARRAY JOIN paths AS path
WHERE ${scopeFilter(scope)}
GROUP BY path
ORDER BY n DESC, path
LIMIT ${sqlNumber(limit)}`;
}

export function pairCountSql(scope: PairScope): string {
  return `SELECT count() AS n FROM ${sqlIdentifier(scope.database)}.pairs FINAL WHERE ${scopeFilter(scope)}`;
}

/** A few example pairs per category, chosen by hash so the same ones come back every time. */
export function examplesSql(scope: PairScope, perCategory: number): string {
  const db = sqlIdentifier(scope.database);
  return `SELECT category, request_id, replica, reason
FROM ${db}.pairs FINAL
WHERE ${scopeFilter(scope)} AND category != 'identical'
ORDER BY category, cityHash64(request_id, replica), request_id
LIMIT ${sqlNumber(perCategory)} BY category`;
}

export function unpairedSql(database: string, candidate: string, since?: number, until?: number): string {
  const filters = [`candidate_release = ${sqlString(candidate)}`];
  if (since !== undefined) filters.push(`ts >= ${sqlNumber(since)}`);
  if (until !== undefined) filters.push(`ts < ${sqlNumber(until)}`);
  return `SELECT side, count() AS n FROM ${sqlIdentifier(database)}.unpaired FINAL WHERE ${filters.join(" AND ")} GROUP BY side ORDER BY side`;
}

/** Candidate releases with their baselines and pair counts, for resolving names and defaults. */
export function candidatesSql(database: string): string {
  return `SELECT candidate_release AS candidate, baseline_release AS baseline, count() AS pairs
FROM ${sqlIdentifier(database)}.pairs FINAL
WHERE candidate_release != baseline_release
GROUP BY candidate_release, baseline_release
ORDER BY pairs DESC, candidate, baseline`;
}

/** Every release the store knows, with the latest registration of its name and version. */
export function releasesSql(database: string): string {
  return `SELECT release_id, argMax(name, version) AS name, argMax(release_version, version) AS release_version, argMax(model, version) AS model
FROM ${sqlIdentifier(database)}.releases
GROUP BY release_id
ORDER BY release_id`;
}
