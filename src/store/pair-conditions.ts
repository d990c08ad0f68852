import { DRIFT_CATEGORIES } from "../diff/category.js";
import { sqlString } from "./sql.js";

/** The SQL conditions and exact-sum fragments the report's aggregates are built from. */
const DRIFT_CATEGORY_LIST = [...DRIFT_CATEGORIES].map(sqlString).join(", ");

export const TOOLS_OK_BASELINE = "(baseline_invalid_calls = 0 AND baseline_failed_calls = 0)";
export const TOOLS_OK_CANDIDATE = "(candidate_invalid_calls = 0 AND candidate_failed_calls = 0)";
/** Neither side failed: the pairs that compare behaviour, cost and latency (failures count under errors). */
export const COMPLETED = "(baseline_error = '' AND candidate_error = '')";
export const PRICED = "(baseline_priced = 1 AND candidate_priced = 1)";
/** The pairs cost is compared on: both priced and completed. */
export const BOTH_PRICED = `(${PRICED} AND ${COMPLETED})`;
export const NANO = "1000000000";
/** The raw behavioural difference of a completed pair (diff/net-drift.ts's `behaviourDiffers`). */
export const DIFFERS = `(category IN (${DRIFT_CATEGORY_LIST}))`;

/**
 * Second moments of cost (for the ratio-of-means interval) are summed as exact integers of
 * micro-dollars, split into the high and low 32 bits of each square: a float sum would depend on
 * the order parts are merged in (a report is byte-identical however its pairs were written), and
 * a plain UInt64 sum of squares overflows past ~10^13 micro-dollars². Costs are capped at
 * 2^32 − 1 micro-dollars (~$4,295) per side per task.
 */
export const MICRO = "1000000";
/** Third moments in units of 10 micro-dollars: a cube of three capped values stays in a UInt64. */
export const CUBE_UNIT = "100000";
export const CUBE_CAP = "2642245";

/** Σ of a product of three costs in 10-µ$ units, as two exact 32-bit halves (costs up to ~$26). */
export function exactCubeSums(name: string, factors: readonly [string, string, string]): string[] {
  const capped = factors.map((factor) => `least(${toUnits(factor, CUBE_UNIT)}, ${CUBE_CAP})`);
  const product = `(${capped.join(" * ")})`;
  return [
    `sumIf(intDiv(${product}, 4294967296), ${BOTH_PRICED}) AS ${name}_hi`,
    `sumIf(${product} % 4294967296, ${BOTH_PRICED}) AS ${name}_lo`,
  ];
}

/**
 * Dollars to whole units, rounding halves up on both engines: ClickHouse 18.16's round() takes a
 * half away from zero and chDB's (26.x) to even, and prices per million tokens land on exact
 * halves of a micro-dollar often enough to make the two stores disagree. Unsigned for costs;
 * signed for scores, which may be negative.
 */
export function toUnits(column: string, unit: string, signed = false): string {
  return `${signed ? "toInt64" : "toUInt64"}(floor(${column} * ${unit} + 0.5))`;
}

export function exactSquareSums(name: string, left: string, right: string): string[] {
  const product = `(least(${toUnits(left, MICRO)}, 4294967295) * least(${toUnits(right, MICRO)}, 4294967295))`;
  return [
    `sumIf(intDiv(${product}, 4294967296), ${BOTH_PRICED}) AS ${name}_hi`,
    `sumIf(${product} % 4294967296, ${BOTH_PRICED}) AS ${name}_lo`,
  ];
}
