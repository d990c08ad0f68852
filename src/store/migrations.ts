import { rollupStatements } from "./rollups.js";
import { sqlIdentifier } from "./sql.js";

/**
 * Numbered, additive-only migrations. A migration is never edited once released: a change is a
 * new number (ADD COLUMN, new table). Statements stay within what both the Debian
 * clickhouse-server (18.16) and chDB accept: no Map, no LowCardinality, no codecs, no
 * DateTime64, no JSON functions.
 *
 * Layouts: `single` (one server or chDB) and `cluster` (ReplicatedReplacingMergeTree shards under
 * a Distributed table of the same name, so every query reads the same table names).
 */
export interface ClusterLayout {
  readonly kind: "cluster";
  readonly cluster: string;
  /** ZooKeeper/Keeper path prefix; `{shard}` and `{replica}` come from each server's macros. */
  readonly zooPath: string;
}

export type Layout = { readonly kind: "single" } | ClusterLayout;

/**
 * One step of a migration: a statement that is safe to run again (`CREATE TABLE IF NOT EXISTS`),
 * or columns to add to a table, of which the migrator adds only the ones it does not find. Two
 * processes may migrate one store at the same moment (the members of a consumer group start
 * together), and ClickHouse 18.16 has no `ADD COLUMN IF NOT EXISTS`.
 */
export type MigrationStep =
  | { readonly kind: "sql"; readonly sql: string }
  | {
      readonly kind: "add-columns";
      readonly database: string;
      readonly table: string;
      readonly onCluster: string | undefined;
      readonly columns: readonly (readonly [name: string, type: string])[];
    };

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly steps: (database: string, layout: Layout) => MigrationStep[];
}

const PAIR_COLUMNS = `
  candidate_release String,
  baseline_release String,
  request_id String,
  replica UInt16,
  session String,
  ts DateTime,
  label_keys Array(String),
  label_values Array(String),
  category String,
  reason String,
  paths Array(String),
  trajectory_match UInt8,
  arguments_match UInt8,
  outcome_match UInt8,
  output_match UInt8,
  edit_distance UInt16,
  alignment String,
  baseline_steps String,
  candidate_steps String,
  baseline_refusal UInt8,
  candidate_refusal UInt8,
  baseline_error String,
  candidate_error String,
  baseline_tool_calls UInt16,
  candidate_tool_calls UInt16,
  baseline_invalid_calls UInt16,
  candidate_invalid_calls UInt16,
  baseline_failed_calls UInt16,
  candidate_failed_calls UInt16,
  unrecorded_calls UInt16,
  baseline_input_tokens UInt32,
  baseline_output_tokens UInt32,
  baseline_cached_tokens UInt32,
  candidate_input_tokens UInt32,
  candidate_output_tokens UInt32,
  candidate_cached_tokens UInt32,
  baseline_cost Float64,
  candidate_cost Float64,
  baseline_priced UInt8,
  candidate_priced UInt8,
  baseline_model String,
  candidate_model String,
  baseline_latency_ms Float64,
  candidate_latency_ms Float64,
  raw String,
  version UInt64`;

const UNPAIRED_COLUMNS = `
  candidate_release String,
  side String,
  request_id String,
  replica UInt16,
  ts DateTime,
  label_keys Array(String),
  label_values Array(String),
  version UInt64`;

const RELEASE_COLUMNS = `
  release_id String,
  name String,
  release_version String,
  model String,
  manifest String,
  registered_at DateTime`;

/**
 * A replacing table: rows with the same ORDER BY key collapse to the one with the highest
 * `version` on merge, and `FINAL` applies that at read time, so at-least-once delivery lands
 * exactly once in every report.
 */
function replacingTable(
  database: string,
  layout: Layout,
  table: string,
  columns: string,
  orderBy: string,
  extra = "",
): string[] {
  const db = sqlIdentifier(database);
  if (layout.kind === "single") {
    return [
      `CREATE TABLE IF NOT EXISTS ${db}.${table} (${columns}\n) ENGINE = ReplacingMergeTree(version)${extra} ORDER BY ${orderBy}`,
    ];
  }
  const cluster = sqlIdentifier(layout.cluster);
  const path = `${layout.zooPath}/{shard}/${db}/${table}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.${table}_local ON CLUSTER ${cluster} (${columns}\n) ENGINE = ReplicatedReplacingMergeTree('${path}', '{replica}', version)${extra} ORDER BY ${orderBy}`,
    // Sharding by the hash of the key keeps every copy of a pair on one shard, where FINAL can
    // collapse it.
    `CREATE TABLE IF NOT EXISTS ${db}.${table} ON CLUSTER ${cluster} AS ${db}.${table}_local ENGINE = Distributed(${cluster}, ${db}, ${table}_local, cityHash64(${orderBy.replace(/[()]/g, "")}))`,
  ];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: "pairs and releases",
    steps: (database, layout) =>
      [
        ...replacingTable(
          database,
          layout,
          "pairs",
          PAIR_COLUMNS,
          "(candidate_release, request_id, replica)",
          " PARTITION BY toYYYYMM(ts)",
        ),
        ...replacingTable(
          database,
          layout,
          "unpaired",
          UNPAIRED_COLUMNS,
          "(candidate_release, side, request_id, replica)",
        ),
        // Releases replace by id; `version` is the write version (registration time in ms).
        ...replacingTable(
          database,
          layout,
          "releases",
          `${RELEASE_COLUMNS},\n  version UInt64`,
          "(release_id)",
        ),
      ].map((sql) => ({ kind: "sql", sql })),
  },
  {
    id: 2,
    name: "scores, checks and per-tool counts on pairs",
    steps: (database, layout) => addColumns(database, layout, "pairs", SCORE_AND_TOOL_COLUMNS),
  },
  {
    id: 3,
    name: "judgements of pairs by a judge release",
    // Keyed like pairs plus the judge release: judging again replaces, a new judge adds.
    steps: (database, layout) =>
      replacingTable(
        database,
        layout,
        "judgements",
        JUDGEMENT_COLUMNS,
        "(candidate_release, request_id, replica, judge_release)",
      ).map((sql) => ({ kind: "sql", sql })),
  },
  {
    id: 4,
    name: "pair, tool and score rollups kept at insert time",
    // A cluster's report reads its Distributed table with FINAL; the rollups are single-node.
    steps: (database, layout) =>
      layout.kind === "single" ? rollupStatements(database).map((sql) => ({ kind: "sql", sql })) : [],
  },
];

const JUDGEMENT_COLUMNS = `
  candidate_release String,
  baseline_release String,
  request_id String,
  replica UInt16,
  judge_release String,
  judge_name String,
  judge_version String,
  judge_model String,
  ts DateTime,
  label_keys Array(String),
  label_values Array(String),
  category String,
  verdict String,
  inconsistent UInt8,
  baseline_first String,
  candidate_first String,
  reason String,
  cache_key String,
  cached UInt8,
  model_calls UInt16,
  input_tokens UInt32,
  output_tokens UInt32,
  cost Float64,
  priced UInt8,
  version UInt64`;

/**
 * Scores, checks and per-tool counts per pair (issue: better or worse, not only different).
 * Arrays aligned by position: `score_names[i]` with both sides' value and whether it has one;
 * `tool_names[i]` with both sides' calls and failed calls of that tool.
 */
const SCORE_AND_TOOL_COLUMNS: readonly [string, string][] = [
  ["score_names", "Array(String)"],
  ["score_sources", "Array(String)"],
  ["baseline_scores", "Array(Float64)"],
  ["candidate_scores", "Array(Float64)"],
  ["baseline_scored", "Array(UInt8)"],
  ["candidate_scored", "Array(UInt8)"],
  ["baseline_check_reasons", "Array(String)"],
  ["candidate_check_reasons", "Array(String)"],
  ["tool_names", "Array(String)"],
  ["baseline_tool_counts", "Array(UInt16)"],
  ["candidate_tool_counts", "Array(UInt16)"],
  ["baseline_tool_failures", "Array(UInt16)"],
  ["candidate_tool_failures", "Array(UInt16)"],
];

/**
 * Additive columns on a replacing table (and, in a cluster, its local tables and the Distributed
 * one, local first: the Distributed table reads the columns it names from them).
 */
function addColumns(
  database: string,
  layout: Layout,
  table: string,
  columns: readonly [string, string][],
): MigrationStep[] {
  const db = sqlIdentifier(database);
  if (layout.kind === "single")
    return [{ kind: "add-columns", database: db, table, onCluster: undefined, columns }];
  const cluster = sqlIdentifier(layout.cluster);
  return [
    { kind: "add-columns", database: db, table: `${table}_local`, onCluster: cluster, columns },
    { kind: "add-columns", database: db, table, onCluster: cluster, columns },
  ];
}

/** The one ALTER that adds `columns` (a subset of the step's), so they arrive together. */
export function addColumnsStatement(
  step: Extract<MigrationStep, { kind: "add-columns" }>,
  columns: readonly (readonly [string, string])[],
): string {
  const onCluster = step.onCluster === undefined ? "" : ` ON CLUSTER ${step.onCluster}`;
  const add = columns.map(([name, type]) => `ADD COLUMN ${name} ${type}`).join(", ");
  return `ALTER TABLE ${step.database}.${step.table}${onCluster} ${add}`;
}

/** Every statement of a step as it would run on an empty store (for review and tests). */
export function stepStatements(step: MigrationStep): string[] {
  return step.kind === "sql" ? [step.sql] : [addColumnsStatement(step, step.columns)];
}

export function migrationTableStatement(database: string, layout: Layout): string {
  const db = sqlIdentifier(database);
  const onCluster = layout.kind === "cluster" ? ` ON CLUSTER ${sqlIdentifier(layout.cluster)}` : "";
  return `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations${onCluster} (id UInt32, name String, applied_at DateTime) ENGINE = MergeTree() ORDER BY id`;
}
