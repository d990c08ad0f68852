import { sqlNumber } from "../store/sql.js";

/**
 * SQL of the directional metrics, folded into the main aggregate (report-queries.ts): scores and
 * checks per name, and per-tool rates per tool, as multi-value `sumMap`s over each pair's aligned
 * arrays, keyed by a hash of the name (18.16's sumMap takes numeric keys only) with the names
 * beside them. No second pass over the pairs: measured on 10M pairs, two separate ARRAY JOIN
 * passes with FINAL cost ~9 s; the folded states cost ~1 s. Only completed pairs (neither side
 * failed) count. Sums are exact integers (scores in micro-units, squares in milli-units split into
 * 32-bit halves), so a report is byte-identical however the parts merged.
 */
const COMPLETED = "(baseline_error = '' AND candidate_error = '')";
const MICRO = "1000000";
const MILLI = "1000";

/** A signed value in whole units, halves rounded up on both engines (see report-queries.ts). */
function units(value: string, unit: string): string {
  return `toInt64(floor(${value} * ${unit} + 0.5))`;
}

/** The two 32-bit halves of value², value in milli-units (|value| below ~4.29 million). */
function squareHalves(value: string): [string, string] {
  const magnitude = `least(toUInt64(abs(${units(value, MILLI)})), 4294967295)`;
  const square = `(${magnitude} * ${magnitude})`;
  return [`intDiv(${square}, 4294967296)`, `${square} % 4294967296`];
}

const both = "(bs = 1 AND cs = 1)";
const u = (condition: string) => `toUInt64(${condition})`;

/** Per score: the statistic's name (decoded by it) and its per-pair value from b, c, bs, cs. */
export const SCORE_STATS: readonly (readonly [string, string])[] = [
  ["both", u(both)],
  ["baseline_only", u("bs = 1 AND cs = 0")],
  ["candidate_only", u("bs = 0 AND cs = 1")],
  ["non_binary", u(`${both} AND NOT (b IN (0, 1) AND c IN (0, 1))`)],
  ["gained", u(`${both} AND b = 0 AND c = 1`)],
  ["lost", u(`${both} AND b = 1 AND c = 0`)],
  ["baseline_pass", u("bs = 1 AND b = 1")],
  ["baseline_fail", u("bs = 1 AND b = 0")],
  ["baseline_na", u("bs = 0")],
  ["candidate_pass", u("cs = 1 AND c = 1")],
  ["candidate_fail", u("cs = 1 AND c = 0")],
  ["candidate_na", u("cs = 0")],
  ["sum_b", `if(${both}, ${units("b", MICRO)}, toInt64(0))`],
  ["sum_c", `if(${both}, ${units("c", MICRO)}, toInt64(0))`],
  ...(["bb", "cc", "ss"] as const).flatMap((name): [string, string][] => {
    const value = name === "bb" ? "b" : name === "cc" ? "c" : "(b + c)";
    const [hi, lo] = squareHalves(value);
    return [
      [`${name}_hi`, `if(${both}, ${hi}, toUInt64(0))`],
      [`${name}_lo`, `if(${both}, ${lo}, toUInt64(0))`],
    ];
  }),
];

/** Per tool: the statistic's name and its per-pair value from b, c (calls), fb, fc (failed calls). */
export const TOOL_STATS: readonly (readonly [string, string])[] = [
  ["both", u("b > 0 AND c > 0")],
  ["gained", u("b = 0 AND c > 0")],
  ["lost", u("b > 0 AND c = 0")],
  ["sum_b", "toUInt64(b)"],
  ["sum_c", "toUInt64(c)"],
  ["sum_bb", "toUInt64(b) * b"],
  ["sum_cc", "toUInt64(c) * c"],
  ["sum_bc", "toUInt64(b) * c"],
  ["sum_bbb", "toUInt64(b) * b * b"],
  ["sum_bbc", "toUInt64(b) * b * c"],
  ["sum_bcc", "toUInt64(b) * c * c"],
  ["sum_ccc", "toUInt64(c) * c * c"],
  ["failed_b", "toUInt64(fb)"],
  ["failed_c", "toUInt64(fc)"],
];

/**
 * Inner-level aggregates (one row per combination of dimension values): the states and the names
 * behind their keys. Completed pairs only: a failed run has no score to compare and calls no tools.
 */
export function outcomeStates(): string[] {
  const scoreKeys = `if(${COMPLETED}, arrayMap((n, s) -> cityHash64(n, s), score_names, score_sources), emptyArrayUInt64())`;
  const scoreValues = SCORE_STATS.map(
    ([, value]) =>
      `arrayMap((b, c, bs, cs) -> ${value}, baseline_scores, candidate_scores, baseline_scored, candidate_scored)`,
  );
  const toolKeys = `if(${COMPLETED}, arrayMap(t -> cityHash64(t), tool_names), emptyArrayUInt64())`;
  const toolValues = TOOL_STATS.map(
    ([, value]) =>
      `arrayMap((b, c, fb, fc) -> ${value}, baseline_tool_counts, candidate_tool_counts, baseline_tool_failures, candidate_tool_failures)`,
  );
  // A pair that did not complete contributes empty key arrays; its value arrays are cut to match.
  const cut = (values: string[], keys: string) =>
    values.map((value) => `arraySlice(${value}, 1, length(${keys}))`);
  return [
    `sumMap(${[scoreKeys, ...cut(scoreValues, scoreKeys)].join(", ")}) AS score_state`,
    "groupUniqArrayArray(arrayMap((n, s) -> (cityHash64(n, s), concat(s, '\\t', n)), score_names, score_sources)) AS score_names_state",
    `sumMap(${[toolKeys, ...cut(toolValues, toolKeys)].join(", ")}) AS tool_state`,
    "groupUniqArrayArray(arrayMap(t -> (cityHash64(t), t), tool_names)) AS tool_names_state",
  ];
}

/** Outer-level merges of `outcomeStates`, named `score_sums` / `score_names` and `tool_sums` / `tool_names_seen`. */
export function outcomeMerges(): string[] {
  const merge = (state: string, count: number) =>
    `sumMap(${Array.from({ length: count + 1 }, (_, index) => `tupleElement(${state}, ${sqlNumber(index + 1)})`).join(", ")})`;
  return [
    `${merge("score_state", SCORE_STATS.length)} AS score_sums`,
    "groupUniqArrayArray(score_names_state) AS score_names",
    `${merge("tool_state", TOOL_STATS.length)} AS tool_sums`,
    "groupUniqArrayArray(tool_names_state) AS tool_names_seen",
  ];
}
