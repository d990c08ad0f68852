import { sqlIdentifier, sqlNumber, sqlString } from "../store/sql.js";
import { type PairScope, scopeFilter, segmentExpression } from "./report-queries.js";

/**
 * SQL of the judge's part of the report. Judgements carry their pair's labels, time and releases,
 * so the report's own scope filter and segment expressions apply to them without a join.
 */

/** The judge release that judged this candidate most recently, with its name and version. */
export function latestJudgeSql(database: string, candidate: string): string {
  return `SELECT judge_release, any(judge_name) AS judge_name, any(judge_version) AS judge_version, max(version) AS written
FROM ${sqlIdentifier(database)}.judgements
WHERE candidate_release = ${sqlString(candidate)}
GROUP BY judge_release
ORDER BY written DESC, judge_release
LIMIT 1`;
}

/** Verdict counts of one judge release per segment (overall and per dimension value). */
export function judgeCountsSql(
  scope: PairScope,
  judgeRelease: string,
  dimensions: readonly string[],
): string {
  const dims = dimensions.map((dimension, index) => ({ dimension, column: `d${index}` }));
  const fanOut = `[('', 'all')${dims.map(({ dimension, column }) => `, (${sqlString(dimension)}, ${column})`).join("")}]`;
  return `SELECT grouping.1 AS dimension, grouping.2 AS segment,
  sum(better) AS better, sum(same) AS same, sum(worse) AS worse,
  sum(inconsistent) AS inconsistent, sum(unparseable) AS unparseable
FROM (
  SELECT *, arrayJoin(${fanOut}) AS grouping
  FROM (
    SELECT ${dims.map(({ dimension, column }) => `${segmentExpression(dimension)} AS ${column}, `).join("")}
      countIf(verdict = 'better') AS better, countIf(verdict = 'same') AS same,
      countIf(verdict = 'worse') AS worse, countIf(inconsistent = 1) AS inconsistent,
      countIf(verdict = 'unparseable') AS unparseable
    FROM ${sqlIdentifier(scope.database)}.judgements FINAL
    WHERE ${scopeFilter(scope)} AND judge_release = ${sqlString(judgeRelease)}${dims.length === 0 ? "" : `\n    GROUP BY ${dims.map(({ column }) => column).join(", ")}`}
  )
)
GROUP BY dimension, segment
ORDER BY dimension, segment`;
}

/** A few judged pairs per verdict (inconsistent ones apart), with the judge's reason, for examples. */
export function judgedExamplesSql(scope: PairScope, judgeRelease: string, perVerdict: number): string {
  return `SELECT request_id, replica, verdict, inconsistent, reason,
  if(inconsistent = 1, 'inconsistent', verdict) AS kind
FROM ${sqlIdentifier(scope.database)}.judgements FINAL
WHERE ${scopeFilter(scope)} AND judge_release = ${sqlString(judgeRelease)}
ORDER BY kind, request_id, replica
LIMIT ${sqlNumber(perVerdict)} BY kind`;
}
