import { sqlString } from "../store/sql.js";
import { toUnits } from "./condition-queries.js";
import { type PairScope, scopeFilter, scopePairs, segmentExpression } from "./report-queries.js";

/**
 * SQL of the directional metrics: scores and checks per (segment, name), and per-tool rates per
 * (segment, tool). Each reads the pairs once (with `FINAL` unless duplicate-free), unrolls the aligned arrays with
 * ARRAY JOIN and fans each combination of dimension values out to its segments, as the main
 * aggregate does. Only completed pairs (neither side failed) take part: a failed run has no score
 * to compare and calls no tools. Sums are exact integers (scores in micro-units, their squares in
 * milli-units split into 32-bit halves), so a report is byte-identical however the parts merged.
 */
const COMPLETED = "(baseline_error = '' AND candidate_error = '')";
const MICRO = "1000000";
const MILLI = "1000";

function fanOut(dimensions: readonly string[]): { columns: string; groupBy: string; grouping: string } {
  const dims = dimensions.map((dimension, index) => ({ dimension, column: `d${index}` }));
  return {
    columns: dims.map(({ dimension, column }) => `${segmentExpression(dimension)} AS ${column}, `).join(""),
    groupBy: dims.map(({ column }) => `${column}, `).join(""),
    grouping: `[('', 'all')${dims.map(({ dimension, column }) => `, (${sqlString(dimension)}, ${column})`).join("")}]`,
  };
}

/** A signed value in whole units, halves rounded up on both engines (condition-queries.ts). */
const units = (value: string, unit: string) => toUnits(value, unit, true);

/** Σ value² as two exact UInt64 halves, value in milli-units (|value| below ~4.29 million). */
function squareSums(name: string, value: string, condition: string): string[] {
  const magnitude = `least(toUInt64(abs(${units(value, MILLI)})), 4294967295)`;
  const square = `(${magnitude} * ${magnitude})`;
  return [
    `sumIf(intDiv(${square}, 4294967296), ${condition}) AS ${name}_hi`,
    `sumIf(${square} % 4294967296, ${condition}) AS ${name}_lo`,
  ];
}

const SCORE_SUMS = [
  "both",
  "baseline_only",
  "candidate_only",
  "non_binary",
  "gained",
  "lost",
  "baseline_pass",
  "baseline_fail",
  "baseline_na",
  "candidate_pass",
  "candidate_fail",
  "candidate_na",
  "sum_b",
  "sum_c",
  ...["bb", "cc", "ss"].flatMap((name) => [`${name}_hi`, `${name}_lo`]),
];

/**
 * Per (segment, score name, source): pairs where both sides have the score, the paired moments
 * (b = baseline, c = candidate; `ss` is Σ(b + c)², from which Σbc = (ss − bb − cc) / 2), the
 * flips for 0/1 scores and the pass / fail / not-applicable counts of checks.
 */
export function scoresSql(scope: PairScope, dimensions: readonly string[]): string {
  const { columns, groupBy, grouping } = fanOut(dimensions);
  const both = "(bs = 1 AND cs = 1)";
  return `SELECT grouping.1 AS dimension, grouping.2 AS segment, name, source,
  ${SCORE_SUMS.map((column) => `sum(${column}) AS ${column}`).join(",\n  ")}
FROM (
  SELECT *, arrayJoin(${grouping}) AS grouping
  FROM (
    SELECT ${columns}name, source,
      countIf(${both}) AS both,
      countIf(bs = 1 AND cs = 0) AS baseline_only,
      countIf(bs = 0 AND cs = 1) AS candidate_only,
      countIf(${both} AND NOT (b IN (0, 1) AND c IN (0, 1))) AS non_binary,
      countIf(${both} AND b = 0 AND c = 1) AS gained,
      countIf(${both} AND b = 1 AND c = 0) AS lost,
      countIf(bs = 1 AND b = 1) AS baseline_pass,
      countIf(bs = 1 AND b = 0) AS baseline_fail,
      countIf(bs = 0) AS baseline_na,
      countIf(cs = 1 AND c = 1) AS candidate_pass,
      countIf(cs = 1 AND c = 0) AS candidate_fail,
      countIf(cs = 0) AS candidate_na,
      sumIf(${units("b", MICRO)}, ${both}) AS sum_b,
      sumIf(${units("c", MICRO)}, ${both}) AS sum_c,
      ${squareSums("bb", "b", both).join(",\n      ")},
      ${squareSums("cc", "c", both).join(",\n      ")},
      ${squareSums("ss", "(b + c)", both).join(",\n      ")}
    FROM ${scopePairs(scope)}
    ARRAY JOIN score_names AS name, score_sources AS source, baseline_scores AS b, candidate_scores AS c,
      baseline_scored AS bs, candidate_scored AS cs
    WHERE ${scopeFilter(scope)} AND ${COMPLETED}
    GROUP BY ${groupBy}name, source
  )
)
GROUP BY dimension, segment, name, source
ORDER BY dimension, segment, name, source`;
}

const TOOL_SUMS = [
  "both",
  "gained",
  "lost",
  "sum_b",
  "sum_c",
  "sum_bb",
  "sum_cc",
  "sum_bc",
  "sum_bbb",
  "sum_bbc",
  "sum_bcc",
  "sum_ccc",
  "failed_b",
  "failed_c",
];

/**
 * Per (segment, tool): tasks calling it on both sides, on the candidate only (gained), on the
 * baseline only (lost), the paired call-count moments (calls per task), and failed calls. Tasks
 * calling it on neither side are the segment's completed pairs less these.
 */
export function toolsSql(scope: PairScope, dimensions: readonly string[]): string {
  const { columns, groupBy, grouping } = fanOut(dimensions);
  return `SELECT grouping.1 AS dimension, grouping.2 AS segment, tool,
  ${TOOL_SUMS.map((column) => `sum(${column}) AS ${column}`).join(",\n  ")}
FROM (
  SELECT *, arrayJoin(${grouping}) AS grouping
  FROM (
    SELECT ${columns}tool,
      countIf(b > 0 AND c > 0) AS both,
      countIf(b = 0 AND c > 0) AS gained,
      countIf(b > 0 AND c = 0) AS lost,
      sum(toUInt64(b)) AS sum_b,
      sum(toUInt64(c)) AS sum_c,
      sum(toUInt64(b) * b) AS sum_bb,
      sum(toUInt64(c) * c) AS sum_cc,
      sum(toUInt64(b) * c) AS sum_bc,
      sum(toUInt64(b) * b * b) AS sum_bbb,
      sum(toUInt64(b) * b * c) AS sum_bbc,
      sum(toUInt64(b) * c * c) AS sum_bcc,
      sum(toUInt64(c) * c * c) AS sum_ccc,
      sum(toUInt64(fb)) AS failed_b,
      sum(toUInt64(fc)) AS failed_c
    FROM ${scopePairs(scope)}
    ARRAY JOIN tool_names AS tool, baseline_tool_counts AS b, candidate_tool_counts AS c,
      baseline_tool_failures AS fb, candidate_tool_failures AS fc
    WHERE ${scopeFilter(scope)} AND ${COMPLETED}
    GROUP BY ${groupBy}tool
  )
)
GROUP BY dimension, segment, tool
ORDER BY dimension, segment, tool`;
}
