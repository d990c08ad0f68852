import { BOTH_PRICED, COMPLETED, DIFFERS } from "../store/pair-conditions.js";
import { counterColumns, PAIR_COUNTERS } from "../store/rollup-counters.js";
import { sqlNumber, sqlString } from "../store/sql.js";
import { aaRequestsSql, MATCHED } from "./aa-queries.js";
import {
  hashBound,
  type PairScope,
  scopeFilter,
  scopePairs,
  segmentExpression,
  segmentKey,
} from "./report-queries.js";

/**
 * SQL of the report's main aggregate: every segment's counters, exact sums and quantile states,
 * path sets and hash sample in one pass over the pairs (see `segmentAggregatesSql`), and the A/A
 * indicators it looks requests up in.
 */

/**
 * Levels at which both sides' latency is read exactly: the usual three, plus a grid around p95 from
 * which the report takes distribution-free order-statistic bounds (analyze/latency-bounds.ts).
 * The grid is finer near 0.95, where large segments need it; a bound falls on the nearest grid
 * level on its conservative side.
 */
export const LATENCY_LEVELS: readonly number[] = (() => {
  const levels = new Set<number>([0.5, 0.8, 0.95, 0.99, 0.995]);
  // Each level costs the merge a selection over the segment's latencies (~0.01 s per level at
  // 10M pairs): 0.005 apart from 0.85 to 0.99, and 0.001 apart around 0.95, where large
  // segments' bounds fall (±3 standard errors of the rank at n = 10^5 is ±0.002).
  for (let i = 0; i <= 28; i++) levels.add(Math.round((0.85 + i * 0.005) * 1e6) / 1e6);
  for (let i = 0; i <= 10; i++) levels.add(Math.round((0.945 + i * 0.001) * 1e6) / 1e6);
  return [...levels].sort((a, b) => a - b);
})();

/** Every pair's path set and its key, for the path-set counts. */
const PATHSET_COLUMNS = `      arrayStringConcat(paths, '\\n') AS pathset,
      cityHash64(category, pathset) AS pathset_key,
`;

/** Path-set counts and names per segment, from the inner level's states. */
const PATHSET_MERGE = `  sumMap(pathset_state.1, pathset_state.2) AS pathset_counts,
  groupUniqArrayArray(pathset_names_state) AS pathset_names,
`;

/** The columns the aggregate reads: naming them keeps `raw` and the step lists off the disk. */
const AGGREGATE_COLUMNS = [
  "request_id",
  "replica",
  "ts",
  "category",
  "paths",
  "baseline_refusal",
  "candidate_refusal",
  "baseline_error",
  "candidate_error",
  "baseline_tool_calls",
  "candidate_tool_calls",
  "baseline_invalid_calls",
  "candidate_invalid_calls",
  "baseline_failed_calls",
  "candidate_failed_calls",
  "baseline_input_tokens",
  "baseline_output_tokens",
  "candidate_input_tokens",
  "candidate_output_tokens",
  "baseline_priced",
  "candidate_priced",
  "baseline_cost",
  "candidate_cost",
  "baseline_latency_ms",
  "candidate_latency_ms",
  "score_names",
].join(", ");

/**
 * The fields of a sampled pair, in the order the SQL tuple carries them: the tuple is built from
 * this list and decoded by it (`decodeSampledPair`), so no position is written by hand.
 */
const SAMPLE_FIELDS = [
  ["hash", "pair_hash"],
  ["request_id", "request_id"],
  ["replica", "replica"],
  ["baseline_latency", "baseline_latency_ms"],
  ["candidate_latency", "candidate_latency_ms"],
  ["baseline_cost", "baseline_cost"],
  ["candidate_cost", "candidate_cost"],
  ["priced", `toUInt8(${BOTH_PRICED})`],
  ["completed", `toUInt8(${COMPLETED})`],
  ["baseline_tokens", "baseline_tokens"],
  ["candidate_tokens", "candidate_tokens"],
  ["category", "category"],
  ["pathset_key", "pathset_key"],
] as const;

export type SampledPairRow = { readonly [field in (typeof SAMPLE_FIELDS)[number][0]]: string | number };

export function decodeSampledPair(tuple: readonly (string | number)[]): SampledPairRow {
  return Object.fromEntries(
    SAMPLE_FIELDS.map(([name], index) => [name, tuple[index] ?? 0]),
  ) as SampledPairRow;
}

/** A sample bound per segment: pairs whose key hash is at most the bound are sampled. */
export interface SampleBound {
  readonly dimension: string;
  readonly segment: string;
  /** Share of the hash space, 0 < share <= 1. */
  readonly share: number;
}

/**
 * Every segment of every dimension, plus the overall `('', 'all')` row, in one query of two
 * levels. The inner level reads the pairs once (with `FINAL`) and groups them by their
 * combination of dimension values, keeping mergeable states (counters, exact-quantile states,
 * path-set counts, sample candidates); the outer level fans each combination out to the segments
 * it belongs to and merges. Fanning out a few hundred combinations instead of every pair is what
 * keeps a report over millions of pairs within seconds.
 *
 * Besides the counters, each row carries
 * - `pathset_counts` / `pathset_names`: how many pairs of each category had each exact set of
 *   differing paths (keyed by a hash, because ClickHouse 18.16's sumMap takes numeric keys only),
 *   from which Node derives per-path counts and the pairs whose every path is noise;
 * - `sample`: pairs whose key hash lies under the bound of one of the segments the pair belongs
 *   to, as (hash, request id, replica, latencies, costs, priced, tokens, category); the overall
 *   sample also yields the example pairs of each category. Node keeps, per
 *   segment, those under that segment's bound and takes the `limit` smallest hashes. When a
 *   combination had more candidates than `sampleCap` (`sample_candidates` tells), the array was
 *   cut in read order and is refused, not used.
 */
export function segmentAggregatesSql(
  scope: PairScope,
  dimensions: readonly string[],
  bounds: readonly SampleBound[],
  sampleCap: number,
  options: { readonly counters: boolean } = { counters: true },
): string {
  // Each candidate pair looks its request up in two sets built once from the A/A pairs of
  // replica 1 (completed; completed and differing): the paired table behind net drift. Set
  // membership carries one bit across instead of joined columns. Without an A/A run the sets are
  // empty (an empty primary-key range: nothing to read).
  const aaColumns = `, toUInt8(request_id IN (${aaRequestsSql(scope, false)})) AS aa_completed,
      toUInt8(request_id IN (${aaRequestsSql(scope, true)})) AS aa_differs`;
  const dims = dimensions.map((dimension, index) => ({ dimension, column: `d${index}` }));
  const keys = bounds.map((bound) => sqlString(segmentKey(bound.dimension, bound.segment)));
  const limits = bounds.map((bound) => `toUInt64(${hashBound(bound.share)})`);
  const boundOf = (dimension: string, value: string) =>
    bounds.length === 0
      ? "toUInt64(0)"
      : `transform(concat(${sqlString(`${dimension}=`)}, ${value}), [${keys.join(", ")}], [${limits.join(", ")}], toUInt64(0))`;
  // A pair is a sample candidate if it is under the bound of any segment it belongs to.
  // ClickHouse 18.16's greatest() takes exactly two arguments.
  const pairBound = [
    boundOf("", "'all'"),
    ...dims.map(({ dimension, column }) => boundOf(dimension, column)),
  ].reduce((left, right) => `greatest(${left}, ${right})`);
  // Read from the rollups instead (the lean scan), the additive counters and path sets are left
  // out here: the reader merges the two by segment.
  const counters = options.counters ? PAIR_COUNTERS : [];
  const summed = [
    ...counters.map(([name]) => name),
    "matched_both",
    "matched_candidate_only",
    "matched_aa_only",
    "matched_neither",
    "sample_candidates",
  ];
  const pathsets = options.counters
    ? `
    sumMap([pathset_key], [toUInt64(1)]) AS pathset_state,
    groupUniqArray((pathset_key, concat(category, '\\t', pathset))) AS pathset_names_state,`
    : "";
  // Without the path-set counts only sampled pairs need their path-set key: computed under the
  // bound (an if() the engine evaluates only where it holds), it costs a few thousand hashes
  // instead of ten million.
  const lazyPathsetKey = `if(pair_hash <= ${pairBound}, cityHash64(category, arrayStringConcat(paths, '\\n')), toUInt64(0))`;
  const inner = `SELECT
    ${dims.map(({ dimension, column }) => `${segmentExpression(dimension)} AS ${column},`).join("\n    ")}
    ${counterColumns(counters)
      .map((column) => `${column},`)
      .join("\n    ")}${pathsets}
    countIf(${MATCHED} AND ${DIFFERS} AND aa_differs = 1) AS matched_both,
    countIf(${MATCHED} AND ${DIFFERS} AND aa_differs = 0) AS matched_candidate_only,
    countIf(${MATCHED} AND NOT ${DIFFERS} AND aa_differs = 1) AS matched_aa_only,
    countIf(${MATCHED} AND NOT ${DIFFERS} AND aa_differs = 0) AS matched_neither,
    quantilesExactIfState(${LATENCY_LEVELS.join(", ")})(baseline_latency_ms, ${COMPLETED}) AS baseline_latency_state,
    quantilesExactIfState(${LATENCY_LEVELS.join(", ")})(candidate_latency_ms, ${COMPLETED}) AS candidate_latency_state,
    groupArrayIf(${sqlNumber(sampleCap)})(
      (${SAMPLE_FIELDS.map(([name, expression]) => (name === "pathset_key" && !options.counters ? lazyPathsetKey : expression)).join(", ")}),
      pair_hash <= ${pairBound}) AS sample_state,
    countIf(pair_hash <= ${pairBound}) AS sample_candidates,
    min(ts) AS first_ts_state,
    max(ts) AS last_ts_state
  FROM (
    SELECT ${AGGREGATE_COLUMNS},
      label_keys, label_values,
${options.counters ? PATHSET_COLUMNS : ""}      cityHash64(request_id, replica) AS pair_hash,
      baseline_input_tokens + baseline_output_tokens AS baseline_tokens,
      candidate_input_tokens + candidate_output_tokens AS candidate_tokens${aaColumns}
    FROM ${scopePairs(scope)}
    WHERE ${scopeFilter(scope)}
  )${dims.length === 0 ? "" : `\n  GROUP BY ${dims.map(({ column }) => column).join(", ")}`}`;
  const fanOut = `[('', 'all')${dims.map(({ dimension, column }) => `, (${sqlString(dimension)}, ${column})`).join("")}]`;
  return `SELECT
  grouping.1 AS dimension,
  grouping.2 AS segment,
  ${summed.map((column) => `sum(${column}) AS ${column}`).join(",\n  ")},
${options.counters ? PATHSET_MERGE : ""}  quantilesExactIfMerge(${LATENCY_LEVELS.join(", ")})(baseline_latency_state) AS baseline_latency,
  quantilesExactIfMerge(${LATENCY_LEVELS.join(", ")})(candidate_latency_state) AS candidate_latency,
  groupArrayArray(sample_state) AS sample,
  toUnixTimestamp(min(first_ts_state)) AS first_ts,
  toUnixTimestamp(max(last_ts_state)) AS last_ts
FROM (
  SELECT *, arrayJoin(${fanOut}) AS grouping
  FROM (
  ${inner}
  )
)
GROUP BY dimension, segment
ORDER BY dimension, ${options.counters ? "pairs DESC, " : ""}segment`;
}
