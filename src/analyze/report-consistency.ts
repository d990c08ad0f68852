import { PAIR_ROLLUP, type Rollup, SCORE_ROLLUP, TOOL_ROLLUP } from "../store/rollups.js";
import { sqlIdentifier, sqlString } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { type PairScope, scopeFilter } from "./report-queries.js";
import { rollupFilter } from "./rollup-queries.js";

/**
 * Whether a report may read the candidate's pairs without `FINAL`, and whether what it read is
 * still what the table holds.
 *
 * `FINAL` collapses the rows of a pair written more than once to the newest. When the scope holds
 * no such row (as many rows as distinct pairs) there is nothing to collapse and the plain read
 * gives the same aggregates, for about a sixth less CPU in the 10M-pair report (bench/report) and
 * a read the engine spreads over every core. The check is taken against a snapshot of the table's
 * active parts: an insert or a merge while the report reads changes that set, and the reader then
 * reads again with `FINAL`. Without a part list (a Distributed table over shards, whose parts live
 * on other nodes, or a user who may not read `system.parts`) the report always uses `FINAL`.
 */
export interface PartsSnapshot {
  readonly parts: string;
  /**
   * The rollup rows of the scope when the rollups cover it exactly (rollup-queries.ts's filter),
   * else null: the report then scans the pairs for its counters too.
   */
  readonly rollup: string | null;
}

export async function duplicateFreeSnapshot(store: Store, scope: PairScope): Promise<PartsSnapshot | null> {
  const before = await activeParts(store);
  if (before === null) return null;
  const [rows] = await store.query<{ rows: string | number; pairs: string | number }>(
    `SELECT (SELECT count() FROM ${sqlIdentifier(scope.database)}.pairs WHERE ${scopeFilter(scope)}) AS rows,
  (SELECT count() FROM ${sqlIdentifier(scope.database)}.pairs FINAL WHERE ${scopeFilter(scope)}) AS pairs`,
  );
  if (rows === undefined || Number(rows.rows) !== Number(rows.pairs)) return null;
  const rollup = await rollupCovering(store, scope, Number(rows.rows));
  // Parts that changed while counting could hide a duplicate the counts missed.
  return (await activeParts(store)) === before ? { parts: before, rollup } : null;
}

/**
 * The rollups cover a duplicate-free scope exactly when they counted as many pairs as the table
 * holds rows, and the tool and score rollups as many items as those pairs carry: every row ever
 * inserted was counted once by each view, and none was collapsed or lost since (a pair written
 * twice leaves the rollup ahead of the table even after the table merged it away). Anything else,
 * including a store whose migrations predate the rollups, reads the pairs.
 */
async function rollupCovering(store: Store, scope: PairScope, rows: number): Promise<string | null> {
  const filter = rollupFilter(scope);
  if (filter === null) return null;
  const database = sqlIdentifier(scope.database);
  const sum = (rollup: Rollup, column: string) =>
    `(SELECT sum(${column}) FROM ${database}.${rollup.table} WHERE ${filter}) AS ${rollup.table.split("_")[0]}_${column}`;
  try {
    const [counts] = await store.query<Record<string, string | number>>(
      `SELECT ${[
        sum(PAIR_ROLLUP, "pairs"),
        sum(PAIR_ROLLUP, "tool_rows"),
        sum(PAIR_ROLLUP, "score_rows"),
        sum(TOOL_ROLLUP, "tool_pairs"),
        sum(SCORE_ROLLUP, "score_pairs"),
      ].join(",\n  ")}`,
    );
    const n = (column: string) => Number(counts?.[column] ?? Number.NaN);
    const covered =
      n("pair_pairs") === rows &&
      n("pair_tool_rows") === n("tool_tool_pairs") &&
      n("pair_score_rows") === n("score_score_pairs");
    return covered ? filter : null;
  } catch {
    // No rollup tables (a cluster layout): read the pairs.
    return null;
  }
}

/** Whether the table's active parts are still those of the snapshot (nothing inserted or merged). */
export async function unchanged(store: Store, snapshot: PartsSnapshot): Promise<boolean> {
  return (await activeParts(store)) === snapshot.parts;
}

async function activeParts(store: Store): Promise<string | null> {
  try {
    const rows = await store.query<{ name: string }>(
      `SELECT name FROM system.parts WHERE database = ${sqlString(store.database)} AND table = 'pairs' AND active ORDER BY name`,
    );
    return rows.length === 0 ? null : rows.map((row) => row.name).join(",");
  } catch {
    // Not readable here (restricted user, another engine): the report keeps `FINAL`.
    return null;
  }
}
