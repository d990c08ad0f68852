import { existsSync } from "node:fs";
import { ShadowdiffError } from "../contracts/errors.js";
import { migrationStatus } from "../store/migrate.js";
import { openStore, type StoreSettings } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { databaseExists, storedPairRows } from "../store/store-status.js";

/**
 * Opens a store for a command that reads pairs (report, gate, harvest, serve) and says plainly
 * when there is nothing to read: a chDB directory that does not exist (opening would create an
 * empty one), a database nothing was written to, or one with no pairs yet. Each names the
 * store and suggests the --store that holds the data, since the usual cause is reading the
 * default store after writing elsewhere (the demo writes chdb:./.shadowdiff/demo). It creates
 * nothing, so read-only credentials (a ClickHouse `readonly=1` profile) are enough.
 * `requirePairs: false` (serve) accepts a store whose pairs have yet to arrive.
 */
export async function openReadableStore(
  settings: StoreSettings,
  { requirePairs = true }: { readonly requirePairs?: boolean } = {},
): Promise<Store> {
  if (settings.store.startsWith("chdb:")) {
    const directory = settings.store.slice("chdb:".length) || "./.shadowdiff";
    if (!existsSync(directory)) throw nothingThere(settings, `there is no store at ${directory}`);
  }
  const store = await openStore(settings, "read");
  try {
    if (!(await databaseExists(store))) {
      throw nothingThere(settings, `${store.location}: there is no database '${store.database}'`);
    }
    const status = await migrationStatus(store);
    if (status.every((state) => !state.applied)) {
      throw nothingThere(
        settings,
        `database '${store.database}' of ${store.location} holds no shadowdiff tables`,
      );
    }
    if (!status.every((state) => state.applied)) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `${store.location}: schema not current; run 'shadowdiff db migrate --store ${settings.store}'`,
      );
    }
    if (!requirePairs) return store;
    if ((await storedPairRows(store)) === 0) {
      throw nothingThere(settings, `${store.location} (database '${store.database}') has no pairs yet`);
    }
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}

function nothingThere(settings: StoreSettings, what: string): ShadowdiffError {
  return new ShadowdiffError(
    "BAD_USAGE",
    `${what}. Write pairs with 'shadowdiff run' or 'shadowdiff consume' first, or point --store (and --database) at the store that holds them: the demo writes --store chdb:./.shadowdiff/demo; this was --store ${settings.store}${settings.database === undefined ? "" : ` --database ${settings.database}`}`,
  );
}
