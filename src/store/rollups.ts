import { COMPLETED } from "./pair-conditions.js";
import {
  type Counter,
  PAIR_COUNTERS,
  PAIR_ROLLUP_ONLY,
  SCORE_ARRAY_JOIN,
  SCORE_COUNTERS,
  TOOL_ARRAY_JOIN,
  TOOL_COUNTERS,
} from "./rollup-counters.js";
import { sqlIdentifier } from "./sql.js";

/**
 * Rollups of the pairs, kept at insert time: for each block written to `pairs`, a materialized
 * view sums the report's additive counters (rollup-counters.ts) per release pair, replica, hour
 * and label set (plus category and path set, tool, or score), into a SummingMergeTree that sums
 * them again on merge. A report over ten million pairs then reads a few thousand rows for what
 * would otherwise be three scans (bench/report).
 *
 * A rollup counts every row ever inserted, including a pair written twice, which `pairs` collapses
 * to one. So a report uses it only for a scope the rollup covers exactly: as many rows as distinct
 * pairs, and as many in the rollup as in the table (analyze/report-consistency.ts); anything else
 * (a redelivered batch, rows written before the views existed and not backfilled, a window not on
 * whole hours) reads the pairs as before. Single-node layouts only: in a cluster the report reads
 * the Distributed table with `FINAL`.
 */
export interface Rollup {
  readonly table: string;
  /** Columns besides the common key, in key order. */
  readonly keys: readonly (readonly [name: string, type: string])[];
  readonly counters: readonly Counter[];
  /** ARRAY JOIN clause and row condition, for the per-item rollups. */
  readonly from: string;
  readonly where?: string;
}

/** Hours since the epoch: a window on whole hours (UTC, whatever the server's time zone) reads the rollup. */
export const ROLLUP_HOUR = "intDiv(toUInt32(ts), 3600)";

const COMMON_KEYS: readonly (readonly [string, string])[] = [
  ["candidate_release", "String"],
  ["baseline_release", "String"],
  ["replica", "UInt16"],
  ["hour", "UInt32"],
  ["label_keys", "Array(String)"],
  ["label_values", "Array(String)"],
];

export const PAIR_ROLLUP: Rollup = {
  table: "pair_rollup_v1",
  keys: [
    ["category", "String"],
    ["paths", "Array(String)"],
  ],
  counters: [...PAIR_COUNTERS, ...PAIR_ROLLUP_ONLY],
  from: "",
};

export const TOOL_ROLLUP: Rollup = {
  table: "tool_rollup_v1",
  keys: [["tool", "String"]],
  counters: TOOL_COUNTERS,
  from: TOOL_ARRAY_JOIN,
  where: COMPLETED,
};

export const SCORE_ROLLUP: Rollup = {
  table: "score_rollup_v1",
  keys: [
    ["name", "String"],
    ["source", "String"],
  ],
  counters: SCORE_COUNTERS,
  from: SCORE_ARRAY_JOIN,
  where: COMPLETED,
};

export const ROLLUPS: readonly Rollup[] = [PAIR_ROLLUP, TOOL_ROLLUP, SCORE_ROLLUP];

const keysOf = (rollup: Rollup) => [...COMMON_KEYS, ...rollup.keys];

/** The rollup's SELECT over `pairs` (the view's, and the backfill's), columns in table order. */
function rollupSelect(database: string, rollup: Rollup, extraWhere?: string): string {
  const keyColumns = keysOf(rollup).map(([name]) => (name === "hour" ? `${ROLLUP_HOUR} AS hour` : name));
  const conditions = [rollup.where, extraWhere].filter((condition) => condition !== undefined);
  return `SELECT ${keyColumns.join(", ")},
  ${rollup.counters.map(([name, sql]) => `${sql} AS ${name}`).join(",\n  ")}
FROM ${database}.pairs${rollup.from === "" ? "" : `\n${rollup.from}`}${conditions.length === 0 ? "" : `\nWHERE ${conditions.join(" AND ")}`}
GROUP BY ${keysOf(rollup)
    .map(([name]) => name)
    .join(", ")}`;
}

/**
 * The statements of the rollup migration, in order: each table, its view, and a backfill of the
 * pairs already stored. The backfill runs only into an empty rollup, so running the migration again
 * adds nothing; a pair inserted between a view's creation and its backfill is counted twice, which
 * the coverage check sees (more rollup rows than pairs), so such a store reads the pairs instead.
 */
export function rollupStatements(database: string): string[] {
  const db = sqlIdentifier(database);
  return ROLLUPS.flatMap((rollup) => [
    tableStatement(db, rollup),
    viewStatement(db, rollup),
    backfillStatement(db, rollup),
  ]);
}

function columnsOf(rollup: Rollup): (readonly [string, string])[] {
  return [...keysOf(rollup), ...rollup.counters.map(([name, , type]) => [name, type ?? "UInt64"] as const)];
}

function tableStatement(db: string, rollup: Rollup): string {
  const keyList = keysOf(rollup)
    .map(([name]) => name)
    .join(", ");
  return `CREATE TABLE IF NOT EXISTS ${db}.${rollup.table} (${columnsOf(rollup)
    .map(([name, type]) => `\n  ${name} ${type}`)
    .join(",")}\n) ENGINE = SummingMergeTree() ORDER BY (${keyList})`;
}

function viewStatement(db: string, rollup: Rollup): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${rollup.table}_mv TO ${db}.${rollup.table} AS\n${rollupSelect(db, rollup)}`;
}

function backfillStatement(db: string, rollup: Rollup): string {
  const table = `${db}.${rollup.table}`;
  return `INSERT INTO ${table} (${columnsOf(rollup)
    .map(([name]) => name)
    .join(", ")})\n${rollupSelect(db, rollup, `(SELECT count() FROM ${table}) = 0`)}`;
}

/**
 * Rebuilds the rollups from the pairs as stored now: first collapses every pair written more than
 * once (OPTIMIZE … FINAL), then empties each rollup and backfills it. After a consumer's
 * redelivery the rollups counted the copies and a report reads those scopes' pairs (correct,
 * slower); this makes them cover every scope again. Run it while nothing writes to the store: a
 * pair written meanwhile leaves its scope uncovered again, which is safe and only slower.
 */
export function rebuildStatements(database: string): string[] {
  const db = sqlIdentifier(database);
  return [
    `OPTIMIZE TABLE ${db}.pairs FINAL`,
    ...ROLLUPS.flatMap((rollup) => [`TRUNCATE TABLE ${db}.${rollup.table}`, backfillStatement(db, rollup)]),
  ];
}
