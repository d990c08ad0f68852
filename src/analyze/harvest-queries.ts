import type { HarvestRow } from "../harvest/select.js";
import { sqlIdentifier, sqlNumber, sqlString, sqlTuple } from "../store/sql.js";
import type { Store } from "../store/store.js";

/**
 * The pairs a harvest chooses from: one candidate against its baseline, in `categories` (raw,
 * before noise is netted out), in a fixed pseudo-random order (so repeated harvests see the same
 * pairs first), at most `limit` rows.
 */
export function harvestRows(
  store: Store,
  scope: { readonly candidate: string; readonly baseline: string },
  categories: readonly string[],
  limit: number,
): Promise<HarvestRow[]> {
  return store.query<HarvestRow>(
    `SELECT request_id, replica, category, reason, baseline_release, candidate_release, label_keys, label_values, raw, paths
FROM ${sqlIdentifier(store.database)}.pairs FINAL
WHERE candidate_release = ${sqlString(scope.candidate)} AND baseline_release = ${sqlString(scope.baseline)}
  AND category IN ${sqlTuple(categories)}
ORDER BY cityHash64(request_id, replica), request_id
LIMIT ${sqlNumber(limit)}`,
  );
}
