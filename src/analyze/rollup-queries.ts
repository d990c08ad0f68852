import { PAIR_ROLLUP, type Rollup } from "../store/rollups.js";
import { sqlIdentifier, sqlNumber, sqlString } from "../store/sql.js";
import { fanOut } from "./outcome-queries.js";
import type { PairScope } from "./report-queries.js";

/**
 * SQL that reads the rollups (store/rollups.ts) in the shapes of the report's scans: the same
 * columns, the same segments, the same order, so the reader decodes either without knowing which
 * it got. Only for a scope the rollups cover exactly (report-consistency.ts).
 */

/** The rollups' grain in seconds (store/rollups.ts's ROLLUP_HOUR). */
const HOUR = 3600;

/**
 * The rollup rows of a scope, or null when its window does not fall on whole hours (the rollup
 * knows a pair's hour, not its second): such a report reads the pairs.
 */
export function rollupFilter(scope: PairScope): string | null {
  const onHour = (bound: number | undefined) => bound === undefined || bound % HOUR === 0;
  if (!onHour(scope.since) || !onHour(scope.until)) return null;
  const parts = [
    `candidate_release = ${sqlString(scope.candidate)}`,
    `baseline_release = ${sqlString(scope.baseline)}`,
  ];
  // As scopeFilter: the baseline's A/A pairs are stored under candidate = baseline, replica >= 1.
  if (scope.candidate === scope.baseline) parts.push("replica >= 1");
  if (scope.since !== undefined) parts.push(`hour >= ${sqlNumber(scope.since / HOUR)}`);
  if (scope.until !== undefined) parts.push(`hour < ${sqlNumber(scope.until / HOUR)}`);
  return parts.join(" AND ");
}

/**
 * Per segment (and per item: tool, score name and source), the rollup's counters summed: the
 * per-item rollups in the shape of outcome-queries.ts's passes, the pair rollup in that of the
 * main aggregate's counters and path sets (segmentAggregatesSql), ordered as those are.
 */
export function rollupSegmentsSql(
  rollup: Rollup,
  database: string,
  filter: string,
  dimensions: readonly string[],
): string {
  const { columns, groupBy, grouping } = fanOut(dimensions);
  // The pair rollup is read per segment (its category and path set become the path-set counts);
  // the others per segment and item.
  const items = rollup === PAIR_ROLLUP ? [] : rollup.keys.map(([name]) => name);
  const itemList = items.map((item) => `${item}, `).join("");
  const sums = rollup.counters.map(([name]) => `sum(${name}) AS ${name}`);
  const pathsets = items.length === 0;
  const innerPathsets = pathsets
    ? `,
      sumMap([pathset_key], [pathset_pairs]) AS pathset_state,
      groupUniqArray((pathset_key, concat(category, '\\t', pathset))) AS pathset_names_state`
    : "";
  const outerPathsets = pathsets
    ? `,
  sumMap(pathset_state.1, pathset_state.2) AS pathset_counts,
  groupUniqArrayArray(pathset_names_state) AS pathset_names`
    : "";
  const source = pathsets
    ? `(SELECT *, arrayStringConcat(paths, '\\n') AS pathset, cityHash64(category, pathset) AS pathset_key, pairs AS pathset_pairs
      FROM ${sqlIdentifier(database)}.${rollup.table} WHERE ${filter})`
    : `${sqlIdentifier(database)}.${rollup.table} WHERE ${filter}`;
  const inner = `SELECT ${columns}${itemList}${sums.join(", ")}${innerPathsets}
    FROM ${source}${groupByClause(groupBy, itemList)}`;
  const order = pathsets ? "dimension, pairs DESC, segment" : `dimension, segment, ${items.join(", ")}`;
  return `SELECT grouping.1 AS dimension, grouping.2 AS segment, ${itemList}
  ${sums.join(",\n  ")}${outerPathsets}
FROM (
  SELECT *, arrayJoin(${grouping}) AS grouping
  FROM (
    ${inner}
  )
)
GROUP BY dimension, segment${items.length === 0 ? "" : `, ${items.join(", ")}`}
ORDER BY ${order}`;
}

/** segmentSizesSql's rows (pairs, scored and tooled per combination) from the pair rollup. */
export function rollupSizesSql(
  rollup: Rollup,
  database: string,
  filter: string,
  dimensions: readonly string[],
): string {
  const { columns, groupBy } = fanOut(dimensions);
  return `SELECT ${columns}sum(pairs) AS n, sum(scored) AS scored, sum(tooled) AS tooled
FROM ${sqlIdentifier(database)}.${rollup.table}
WHERE ${filter}${groupByClause(groupBy, "")}`;
}

/** GROUP BY over fanOut's `d0, d1, ` and an item list in the same form; none when both are empty. */
function groupByClause(dimensions: string, items: string): string {
  const columns = `${dimensions}${items}`.replace(/, $/, "");
  return columns === "" ? "" : `\n    GROUP BY ${columns}`;
}
