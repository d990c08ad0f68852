import { ShadowdiffError } from "../contracts/errors.js";
import { ROLLUPS, rebuildStatements } from "./rollups.js";
import { sqlString } from "./sql.js";
import type { Store } from "./store.js";

/**
 * `shadowdiff db rebuild-rollups`: the rollups recounted from the pairs as stored (rollups.ts's
 * `rebuildStatements`). Refuses a store without them (migrations pending, or a cluster layout,
 * which has none) rather than creating anything.
 */
export async function rebuildRollups(
  store: Store,
  progress: (step: string) => void = () => {},
): Promise<void> {
  const rows = await store.query<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = ${sqlString(store.database)} AND name IN (${ROLLUPS.map((rollup) => sqlString(rollup.table)).join(", ")})`,
  );
  if (rows.length !== ROLLUPS.length) {
    throw new ShadowdiffError(
      "BAD_USAGE",
      `${store.location}: database ${store.database} has no rollup tables (run 'shadowdiff db migrate'; a cluster layout has none)`,
    );
  }
  for (const statement of rebuildStatements(store.database)) {
    progress(statement.split("\n")[0]?.slice(0, 80) ?? statement);
    await store.exec(statement);
  }
}
