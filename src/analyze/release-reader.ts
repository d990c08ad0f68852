import type { ResolvedRelease } from "../contracts/release.js";
import { sqlTuple } from "../store/sql.js";
import type { Store } from "../store/store.js";

/** The stored manifests of these releases (those run with --release), by release id. */
export async function storedManifests(
  store: Store,
  ids: readonly string[],
): Promise<Map<string, ResolvedRelease>> {
  const rows = await store.query<{ release_id: string; manifest: string }>(
    `SELECT release_id, argMax(manifest, version) AS manifest FROM ${store.database}.releases WHERE release_id IN ${sqlTuple(ids)} GROUP BY release_id`,
  );
  const manifests = new Map<string, ResolvedRelease>();
  for (const row of rows)
    if (row.manifest !== "") manifests.set(row.release_id, JSON.parse(row.manifest) as ResolvedRelease);
  return manifests;
}
