import { COMPLETED } from "../store/pair-conditions.js";
import {
  type Counter,
  counterColumns,
  counterSums,
  SCORE_ARRAY_JOIN,
  SCORE_COUNTERS,
  TOOL_ARRAY_JOIN,
  TOOL_COUNTERS,
} from "../store/rollup-counters.js";
import { sqlString } from "../store/sql.js";
import { type PairScope, scopeFilter, scopePairs, segmentExpression } from "./report-queries.js";

/**
 * SQL of the directional metrics: scores and checks per (segment, name), and per-tool rates per
 * (segment, tool). Each reads the pairs once (with `FINAL` unless duplicate-free), unrolls the aligned arrays with
 * ARRAY JOIN and fans each combination of dimension values out to its segments, as the main
 * aggregate does. Only completed pairs (neither side failed) take part: a failed run has no score
 * to compare and calls no tools. Sums are exact integers (scores in micro-units, their squares in
 * milli-units split into 32-bit halves), so a report is byte-identical however the parts merged.
 * The counters themselves are rollup-counters.ts's, which the rollups keep at insert time.
 */
export function fanOut(dimensions: readonly string[]): {
  columns: string;
  groupBy: string;
  grouping: string;
} {
  const dims = dimensions.map((dimension, index) => ({ dimension, column: `d${index}` }));
  return {
    columns: dims.map(({ dimension, column }) => `${segmentExpression(dimension)} AS ${column}, `).join(""),
    groupBy: dims.map(({ column }) => `${column}, `).join(""),
    grouping: `[('', 'all')${dims.map(({ dimension, column }) => `, (${sqlString(dimension)}, ${column})`).join("")}]`,
  };
}

/** Per (segment, keys): the counters summed over combinations fanned out to their segments. */
function arraySql(
  scope: PairScope,
  dimensions: readonly string[],
  keys: readonly string[],
  counters: readonly Counter[],
  arrayJoin: string,
): string {
  const { columns, groupBy, grouping } = fanOut(dimensions);
  const keyList = keys.join(", ");
  return `SELECT grouping.1 AS dimension, grouping.2 AS segment, ${keyList},
  ${counterSums(counters).join(",\n  ")}
FROM (
  SELECT *, arrayJoin(${grouping}) AS grouping
  FROM (
    SELECT ${columns}${keyList},
      ${counterColumns(counters).join(",\n      ")}
    FROM ${scopePairs(scope)}
    ${arrayJoin}
    WHERE ${scopeFilter(scope)} AND ${COMPLETED}
    GROUP BY ${groupBy}${keyList}
  )
)
GROUP BY dimension, segment, ${keyList}
ORDER BY dimension, segment, ${keyList}`;
}

export const SCORE_KEYS = ["name", "source"] as const;
export const TOOL_KEYS = ["tool"] as const;

/** Per (segment, score name, source): rollup-counters.ts's SCORE_COUNTERS. */
export function scoresSql(scope: PairScope, dimensions: readonly string[]): string {
  return arraySql(scope, dimensions, SCORE_KEYS, SCORE_COUNTERS, SCORE_ARRAY_JOIN);
}

/**
 * Per (segment, tool): tasks calling it on both sides, on the candidate only (gained), on the
 * baseline only (lost), the paired call-count moments (calls per task), and failed calls. Tasks
 * calling it on neither side are the segment's completed pairs less these.
 */
export function toolsSql(scope: PairScope, dimensions: readonly string[]): string {
  return arraySql(scope, dimensions, TOOL_KEYS, TOOL_COUNTERS, TOOL_ARRAY_JOIN);
}
