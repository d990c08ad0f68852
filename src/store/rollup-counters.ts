import { PAIR_CATEGORIES } from "../contracts/categories.js";
import {
  BOTH_PRICED,
  COMPLETED,
  DIFFERS,
  exactCubeSums,
  exactSquareSums,
  MICRO,
  NANO,
  PRICED,
  TOOLS_OK_BASELINE,
  TOOLS_OK_CANDIDATE,
  toUnits,
} from "./pair-conditions.js";
import { sqlString } from "./sql.js";

/**
 * The report's additive counters: aggregates over the raw columns of pairs whose sum over groups
 * is the aggregate over their union (counts and exact integer sums). Each is computed in two
 * places from this one list, so the two cannot drift apart:
 *
 * - by the report's scans, per combination of segment values, when it reads the pairs themselves
 *   (`FINAL`, or a scope that holds duplicates);
 * - by the rollups (store/rollups.ts), which ClickHouse keeps at insert time through
 *   materialized views: one row per inserted block and (release pair, replica, hour, labels,
 *   category, path set), summed on merge (SummingMergeTree). A report whose scope is covered
 *   exactly by the rollup reads these sums from it instead of scanning ten million pairs.
 *
 * The rollups' columns are fixed by the migration that created them. Changing an expression or a
 * name here is a new rollup version (a migration creating `*_v2` with its views and backfill), and
 * test/unit/rollups.test.ts pins the statements so that it cannot happen by accident.
 */
/** A counter's column name, its aggregate, and its type in a rollup (UInt64 unless signed). */
export type Counter = readonly [name: string, sql: string, type?: "Int64"];

const categoryCounters: Counter[] = PAIR_CATEGORIES.map((category) => [
  `c_${category}`,
  `countIf(category = ${sqlString(category)})`,
]);

/** Σ of both-priced exact moments, named as the aggregate's columns are (`<name>_hi`, `<name>_lo`). */
function named(fragments: readonly string[]): Counter[] {
  return fragments.map((fragment) => {
    const at = fragment.lastIndexOf(" AS ");
    return [fragment.slice(at + 4), fragment.slice(0, at)] as const;
  });
}

export const PAIR_COUNTERS: readonly Counter[] = [
  ["pairs", "count()"],
  ...categoryCounters,
  ["baseline_refusals", "sum(baseline_refusal)"],
  ["candidate_refusals", "sum(candidate_refusal)"],
  ["refusal_gained", "countIf(baseline_refusal = 0 AND candidate_refusal = 1)"],
  ["refusal_lost", "countIf(baseline_refusal = 1 AND candidate_refusal = 0)"],
  ["baseline_errors", "countIf(baseline_error != '')"],
  ["candidate_errors", "countIf(candidate_error != '')"],
  ["error_gained", "countIf(baseline_error = '' AND candidate_error != '')"],
  ["error_lost", "countIf(baseline_error != '' AND candidate_error = '')"],
  ["sum_baseline_tool_calls", "sum(baseline_tool_calls)"],
  ["sum_candidate_tool_calls", "sum(candidate_tool_calls)"],
  ["sum_baseline_invalid_calls", "sum(baseline_invalid_calls)"],
  ["sum_candidate_invalid_calls", "sum(candidate_invalid_calls)"],
  ["sum_baseline_failed_calls", "sum(baseline_failed_calls)"],
  ["sum_candidate_failed_calls", "sum(candidate_failed_calls)"],
  ["baseline_tools_ok", `countIf(${TOOLS_OK_BASELINE})`],
  ["candidate_tools_ok", `countIf(${TOOLS_OK_CANDIDATE})`],
  ["tools_ok_lost", `countIf(${TOOLS_OK_BASELINE} AND NOT ${TOOLS_OK_CANDIDATE})`],
  ["tools_ok_gained", `countIf(NOT ${TOOLS_OK_BASELINE} AND ${TOOLS_OK_CANDIDATE})`],
  ["sum_baseline_tokens", "sum(baseline_input_tokens + baseline_output_tokens)"],
  ["sum_candidate_tokens", "sum(candidate_input_tokens + candidate_output_tokens)"],
  ["priced_pairs", `countIf(${PRICED})`],
  ["cost_pairs", `countIf(${BOTH_PRICED})`],
  ["baseline_unpriced", "countIf(baseline_priced = 0)"],
  ["candidate_unpriced", "countIf(candidate_priced = 0)"],
  ["baseline_cost_nano", `sumIf(${toUnits("baseline_cost", NANO)}, ${BOTH_PRICED})`],
  ["candidate_cost_nano", `sumIf(${toUnits("candidate_cost", NANO)}, ${BOTH_PRICED})`],
  ["cost_b_micro", `sumIf(${toUnits("baseline_cost", MICRO)}, ${BOTH_PRICED})`],
  ["cost_c_micro", `sumIf(${toUnits("candidate_cost", MICRO)}, ${BOTH_PRICED})`],
  ...named(exactSquareSums("cost_bb", "baseline_cost", "baseline_cost")),
  ...named(exactSquareSums("cost_cc", "candidate_cost", "candidate_cost")),
  ...named(exactSquareSums("cost_bc", "baseline_cost", "candidate_cost")),
  ...named(exactCubeSums("cost_bbb", ["baseline_cost", "baseline_cost", "baseline_cost"])),
  ...named(exactCubeSums("cost_bbc", ["baseline_cost", "baseline_cost", "candidate_cost"])),
  ...named(exactCubeSums("cost_bcc", ["baseline_cost", "candidate_cost", "candidate_cost"])),
  ...named(exactCubeSums("cost_ccc", ["candidate_cost", "candidate_cost", "candidate_cost"])),
  ["baseline_failed", "countIf(baseline_error != '')"],
  ["completed_pairs", `countIf(${COMPLETED})`],
  ["completed_differing", `countIf(${COMPLETED} AND ${DIFFERS})`],
];

/**
 * Kept by the pair rollup only: the sizes the report samples by (pairs with any score or check,
 * any tool), and the rows the tool and score rollups must hold for the same pairs, which is how a
 * report tells that all three rollups saw every insert (analyze/report-consistency.ts).
 */
export const PAIR_ROLLUP_ONLY: readonly Counter[] = [
  ["scored", "countIf(notEmpty(score_names))"],
  ["tooled", "countIf(notEmpty(tool_names))"],
  ["tool_rows", `sumIf(length(tool_names), ${COMPLETED})`],
  ["score_rows", `sumIf(length(score_names), ${COMPLETED})`],
];

/** Per-tool counters over completed pairs, one row per (pair, tool) after the ARRAY JOIN below. */
export const TOOL_ARRAY_JOIN = `ARRAY JOIN tool_names AS tool, baseline_tool_counts AS b, candidate_tool_counts AS c,
      baseline_tool_failures AS fb, candidate_tool_failures AS fc`;

export const TOOL_COUNTERS: readonly Counter[] = [
  ["tool_pairs", "count()"],
  ["both", "countIf(b > 0 AND c > 0)"],
  ["gained", "countIf(b = 0 AND c > 0)"],
  ["lost", "countIf(b > 0 AND c = 0)"],
  ["sum_b", "sum(toUInt64(b))"],
  ["sum_c", "sum(toUInt64(c))"],
  ["sum_bb", "sum(toUInt64(b) * b)"],
  ["sum_cc", "sum(toUInt64(c) * c)"],
  ["sum_bc", "sum(toUInt64(b) * c)"],
  ["sum_bbb", "sum(toUInt64(b) * b * b)"],
  ["sum_bbc", "sum(toUInt64(b) * b * c)"],
  ["sum_bcc", "sum(toUInt64(b) * c * c)"],
  ["sum_ccc", "sum(toUInt64(c) * c * c)"],
  ["failed_b", "sum(toUInt64(fb))"],
  ["failed_c", "sum(toUInt64(fc))"],
];

export const SCORE_ARRAY_JOIN = `ARRAY JOIN score_names AS name, score_sources AS source, baseline_scores AS b, candidate_scores AS c,
      baseline_scored AS bs, candidate_scored AS cs`;

const SCORE_MICRO = "1000000";
const SCORE_MILLI = "1000";
const BOTH_SCORED = "(bs = 1 AND cs = 1)";

/** A signed value in whole units, halves rounded up on both engines (pair-conditions.ts). */
const units = (value: string, unit: string) => toUnits(value, unit, true);

/** Σ value² as two exact UInt64 halves, value in milli-units (|value| below ~4.29 million). */
function squareSums(name: string, value: string): Counter[] {
  const magnitude = `least(toUInt64(abs(${units(value, SCORE_MILLI)})), 4294967295)`;
  const square = `(${magnitude} * ${magnitude})`;
  return [
    [`${name}_hi`, `sumIf(intDiv(${square}, 4294967296), ${BOTH_SCORED})`],
    [`${name}_lo`, `sumIf(${square} % 4294967296, ${BOTH_SCORED})`],
  ];
}

/**
 * Per (score name, source) over completed pairs: pairs where both sides have the score, the
 * paired moments (b = baseline, c = candidate; `ss` is Σ(b + c)², from which Σbc = (ss − bb −
 * cc) / 2), the flips for 0/1 scores and the pass / fail / not-applicable counts of checks.
 */
export const SCORE_COUNTERS: readonly Counter[] = [
  ["score_pairs", "count()"],
  ["both", `countIf(${BOTH_SCORED})`],
  ["baseline_only", "countIf(bs = 1 AND cs = 0)"],
  ["candidate_only", "countIf(bs = 0 AND cs = 1)"],
  ["non_binary", `countIf(${BOTH_SCORED} AND NOT (b IN (0, 1) AND c IN (0, 1)))`],
  ["gained", `countIf(${BOTH_SCORED} AND b = 0 AND c = 1)`],
  ["lost", `countIf(${BOTH_SCORED} AND b = 1 AND c = 0)`],
  ["baseline_pass", "countIf(bs = 1 AND b = 1)"],
  ["baseline_fail", "countIf(bs = 1 AND b = 0)"],
  ["baseline_na", "countIf(bs = 0)"],
  ["candidate_pass", "countIf(cs = 1 AND c = 1)"],
  ["candidate_fail", "countIf(cs = 1 AND c = 0)"],
  ["candidate_na", "countIf(cs = 0)"],
  ["sum_b", `sumIf(${units("b", SCORE_MICRO)}, ${BOTH_SCORED})`, "Int64"],
  ["sum_c", `sumIf(${units("c", SCORE_MICRO)}, ${BOTH_SCORED})`, "Int64"],
  ...squareSums("bb", "b"),
  ...squareSums("cc", "c"),
  ...squareSums("ss", "(b + c)"),
];

/** `expr AS name` for each counter: the inner level of a scan. */
export function counterColumns(counters: readonly Counter[]): string[] {
  return counters.map(([name, sql]) => `${sql} AS ${name}`);
}

/** `sum(name) AS name` for each counter: merging groups, or reading a rollup. */
export function counterSums(counters: readonly Counter[]): string[] {
  return counters.map(([name]) => `sum(${name}) AS ${name}`);
}
