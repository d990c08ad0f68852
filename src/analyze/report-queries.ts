import { sqlIdentifier, sqlNumber, sqlString } from "../store/sql.js";

/**
 * SQL of the drift report. Aggregation happens in ClickHouse; Node receives one row per segment
 * (with a bounded, hash-chosen sample folded in) and a handful of small results. The pairs table
 * is read once per pass for the candidate and once for the A/A pairs, however many segment
 * dimensions are asked for: with `FINAL`, or without it when the candidate's scope is known to
 * hold each pair once (report-consistency.ts). Where the rollups kept at insert time cover the
 * scope exactly (store/rollups.ts), the counters, path sets, tools and scores come from them
 * (rollup-queries.ts) and one lean pass reads only the latency quantiles, A/A lookups and sample.
 *
 * Everything is deterministic however the table's parts are merged, so a report is
 * byte-identical however often the same pairs were written: sums are over integers (cost in
 * nano-dollars), quantiles are exact, and samples are chosen by a hash of the pair key, never by
 * read order. The SQL stays within what ClickHouse 18.16 (Debian) and chDB (26.x) both accept.
 */
export interface PairScope {
  readonly database: string;
  readonly candidate: string;
  readonly baseline: string;
  /** Seconds since the epoch, inclusive / exclusive. */
  readonly since?: number;
  readonly until?: number;
  /**
   * Set once the scope's rows are known to hold each pair once (report-consistency.ts): the
   * candidate's big passes then read the table without `FINAL`, which has nothing to collapse.
   */
  readonly duplicateFree?: boolean;
}

/** The pairs table as the scope's candidate passes read it: with `FINAL` unless known duplicate-free. */
export function scopePairs(scope: PairScope): string {
  return `${sqlIdentifier(scope.database)}.pairs${scope.duplicateFree === true ? "" : " FINAL"}`;
}

/** `(none)` for pairs without the label, so a segment never silently disappears. */
export function segmentExpression(dimension: string): string {
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

/**
 * Key of a segment in the sample-bound table: `dimension=value`. Unambiguous because dimension
 * names are plain label names (checked by `assertDimensionName`), which cannot contain `=`.
 */
export function segmentKey(dimension: string, segment: string): string {
  return `${dimension}=${segment}`;
}

export const DIMENSION_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Approximate pairs per combination of dimension values, read without `FINAL` (a pair written
 * twice and not yet merged counts twice): only used to size each segment's sample share, where an
 * overestimate merely makes the share smaller. Reads the label columns only; Node sums the
 * combinations into segments. `scored` / `tooled` count pairs with any score or check / any tool
 * (on some version of the pair): the scores and tools passes run only where they can find one.
 */
export function segmentSizesSql(scope: PairScope, dimensions: readonly string[]): string {
  const columns = dimensions.map((dimension, index) => `${segmentExpression(dimension)} AS d${index}`);
  const groupBy =
    dimensions.length === 0 ? "" : `\nGROUP BY ${dimensions.map((_, index) => `d${index}`).join(", ")}`;
  return `SELECT ${[...columns, "count() AS n", "countIf(notEmpty(score_names)) AS scored", "countIf(notEmpty(tool_names)) AS tooled"].join(", ")}
FROM ${sqlIdentifier(scope.database)}.pairs
WHERE ${scopeFilter(scope)}${groupBy}`;
}

/** The largest 64-bit hash value kept for a share, as exact decimal text. */
export function hashBound(share: number): string {
  if (share >= 1) return "18446744073709551615";
  // 2^64 · share, through BigInt so the bound is exact for shares down to 1e-9.
  return ((BigInt(Math.floor(share * 1e9)) * 18446744073709551616n) / 1_000_000_000n).toString();
}

/**
 * The candidate's path sets alone, in the shape of the full aggregate's `pathset_counts` and
 * `pathset_names` (keys by hash: 18.16's sumMap takes numeric keys only).
 */
export function pathsetCountsSql(scope: PairScope): string {
  return `SELECT sumMap([pathset_key], [toUInt64(1)]) AS pathset_counts,
  groupUniqArray((pathset_key, concat(category, '\\t', pathset))) AS pathset_names
FROM (
  SELECT category, arrayStringConcat(paths, '\\n') AS pathset, cityHash64(category, pathset) AS pathset_key
  FROM ${sqlIdentifier(scope.database)}.pairs FINAL
  WHERE ${scopeFilter(scope)}
)`;
}

/**
 * The A/A pairs of the baseline: how often each collapsed path differs, and (under the pseudo
 * path `PAIRS_PATH`) how many pairs there are.
 */
export const PAIRS_PATH = "<pairs>";

export function aaPathCountsSql(scope: PairScope): string {
  const aa: PairScope = { ...scope, candidate: scope.baseline };
  return `SELECT path, count() AS n
FROM ${sqlIdentifier(scope.database)}.pairs FINAL
ARRAY JOIN arrayConcat([${sqlString(PAIRS_PATH)}], paths) AS path
WHERE ${scopeFilter(aa)}
GROUP BY path
ORDER BY n DESC, path`;
}

/**
 * A few example pairs per category net of noise, chosen by hash so the same ones come back every
 * time. A pair's net category is a function of its path set, so each wanted category names the
 * path-set keys that give it, and first keeps the pairs under its share of the hash space.
 */
export function examplesSql(
  scope: PairScope,
  perCategory: number,
  wanted: ReadonlyMap<string, { readonly share: number; readonly keys: readonly string[] }>,
): string {
  const db = sqlIdentifier(scope.database);
  const entries = [...wanted].filter(([, want]) => want.keys.length > 0);
  if (entries.length === 0) {
    return "SELECT '' AS category, '' AS request_id, 0 AS replica WHERE 0";
  }
  const keys = entries.flatMap(([, want]) => want.keys.map((key) => `toUInt64(${unsignedKey(key)})`));
  const categories = entries.flatMap(([category, want]) => want.keys.map(() => sqlString(category)));
  const bounds = entries.flatMap(([, want]) => want.keys.map(() => `toUInt64(${hashBound(want.share)})`));
  return `SELECT net_category AS category, request_id, replica
FROM (
  SELECT *, transform(pathset_key, [${keys.join(", ")}], [${categories.join(", ")}], '') AS net_category,
    transform(pathset_key, [${keys.join(", ")}], [${bounds.join(", ")}], toUInt64(0)) AS bound
  FROM (
    SELECT request_id, replica,
      cityHash64(category, arrayStringConcat(paths, '\\n')) AS pathset_key, cityHash64(request_id, replica) AS pair_hash
    FROM ${db}.pairs FINAL
    WHERE ${scopeFilter(scope)} AND category != 'identical'
  )
)
WHERE net_category != '' AND pair_hash <= bound
ORDER BY category, pair_hash, request_id
LIMIT ${sqlNumber(perCategory)} BY category`;
}

/** A 64-bit hash key as decimal text, checked: keys come from the store, but SQL text is built here. */
function unsignedKey(key: string): string {
  if (!/^\d{1,20}$/.test(key)) throw new Error(`not an unsigned 64-bit key: ${key}`);
  return key;
}

/**
 * Reason, alignment, both step lists and both records (for the answers and errors) of a few
 * example pairs, looked up by key: the primary key makes this cheap, and only these pairs' `raw`
 * is read.
 */
export function exampleDetailsSql(
  scope: PairScope,
  keys: readonly { id: string; replica: number }[],
): string {
  const tuples = keys.map((key) => `(${sqlString(key.id)}, ${sqlNumber(key.replica)})`).join(", ");
  return `SELECT request_id, replica, reason, alignment, baseline_steps, candidate_steps, baseline_refusal, candidate_refusal, raw
FROM ${sqlIdentifier(scope.database)}.pairs FINAL
WHERE ${scopeFilter(scope)} AND (request_id, replica) IN (${tuples})`;
}

export function unpairedSql(database: string, candidate: string, since?: number, until?: number): string {
  const filters = [`candidate_release = ${sqlString(candidate)}`];
  if (since !== undefined) filters.push(`ts >= ${sqlNumber(since)}`);
  if (until !== undefined) filters.push(`ts < ${sqlNumber(until)}`);
  return `SELECT side, count() AS n FROM ${sqlIdentifier(database)}.unpaired FINAL WHERE ${filters.join(" AND ")} GROUP BY side ORDER BY side`;
}

/** The baselines a candidate has pairs against, most pairs first (reads the key columns only). */
export function baselinesOfSql(database: string, candidate: string): string {
  return `SELECT baseline_release AS baseline, count() AS pairs
FROM ${sqlIdentifier(database)}.pairs
WHERE candidate_release = ${sqlString(candidate)} AND candidate_release != baseline_release
GROUP BY baseline_release
ORDER BY pairs DESC, baseline`;
}

/** Which of these releases the store holds a manifest for (their tool calls were checked). */
export function manifestsSql(database: string, releases: readonly string[]): string {
  return `SELECT release_id
FROM ${sqlIdentifier(database)}.releases
WHERE release_id IN (${releases.map(sqlString).join(", ")})
GROUP BY release_id
HAVING argMax(manifest, version) != ''`;
}

/** Every release the store knows, with the latest registration of its name and version. */
export function releasesSql(database: string): string {
  return `SELECT release_id, argMax(name, version) AS name, argMax(release_version, version) AS release_version, argMax(model, version) AS model
FROM ${sqlIdentifier(database)}.releases
GROUP BY release_id
ORDER BY release_id`;
}
