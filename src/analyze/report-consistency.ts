import { sqlIdentifier, sqlString } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { type PairScope, scopeFilter } from "./report-queries.js";

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
}

export async function duplicateFreeSnapshot(store: Store, scope: PairScope): Promise<PartsSnapshot | null> {
  const before = await activeParts(store);
  if (before === null) return null;
  const [rows] = await store.query<{ rows: string | number; pairs: string | number }>(
    `SELECT (SELECT count() FROM ${sqlIdentifier(scope.database)}.pairs WHERE ${scopeFilter(scope)}) AS rows,
  (SELECT count() FROM ${sqlIdentifier(scope.database)}.pairs FINAL WHERE ${scopeFilter(scope)}) AS pairs`,
  );
  if (rows === undefined || Number(rows.rows) !== Number(rows.pairs)) return null;
  // Parts that changed while counting could hide a duplicate the counts missed.
  return (await activeParts(store)) === before ? { parts: before } : null;
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
