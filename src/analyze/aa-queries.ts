import { COMPLETED, DIFFERS } from "../store/pair-conditions.js";
import { sqlIdentifier, sqlString } from "../store/sql.js";
import { type PairScope, scopeFilter, segmentExpression } from "./report-queries.js";

/** A completed candidate pair whose request has a completed A/A pair. */
export const MATCHED = `(${COMPLETED} AND aa_completed = 1)`;

/**
 * The requests whose first A/A replica (replica 1) completed, or completed and differs. A/A
 * replicas are numbered from 1 (DESIGN: exchange record `replica`), so the first is replica 1.
 */
export function aaRequestsSql(scope: PairScope, differing: boolean): string {
  const aa: PairScope = { ...scope, candidate: scope.baseline };
  return `SELECT request_id FROM ${sqlIdentifier(scope.database)}.pairs FINAL
      WHERE ${scopeFilter(aa)} AND replica = 1 AND ${COMPLETED}${differing ? ` AND ${DIFFERS}` : ""}`;
}

/**
 * The A/A pairs per segment (by their own labels): how many completed and how many of those
 * differ, for the independent net-drift interval when the A/A run does not cover the candidate's
 * requests.
 */
export function aaSegmentsSql(scope: PairScope, dimensions: readonly string[]): string {
  const aa: PairScope = { ...scope, candidate: scope.baseline };
  const dims = dimensions.map((dimension, index) => ({ dimension, column: `d${index}` }));
  const fanOut = `[('', 'all')${dims.map(({ dimension, column }) => `, (${sqlString(dimension)}, ${column})`).join("")}]`;
  return `SELECT grouping.1 AS dimension, grouping.2 AS segment,
  sum(completed) AS aa_completed, sum(differing) AS aa_differing
FROM (
  SELECT *, arrayJoin(${fanOut}) AS grouping
  FROM (
    SELECT ${dims.map(({ dimension, column }) => `${segmentExpression(dimension)} AS ${column}, `).join("")}
      countIf(${COMPLETED}) AS completed, countIf(${COMPLETED} AND ${DIFFERS}) AS differing
    FROM ${sqlIdentifier(scope.database)}.pairs FINAL
    WHERE ${scopeFilter(aa)}${dims.length === 0 ? "" : `\n    GROUP BY ${dims.map(({ column }) => column).join(", ")}`}
  )
)
GROUP BY dimension, segment
ORDER BY dimension, segment`;
}
