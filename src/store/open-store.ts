import { readFile } from "node:fs/promises";
import { ShadowdiffError } from "../contracts/errors.js";
import type { Store, StoreAccess } from "./store.js";

export const DEFAULT_STORE = "chdb:./.shadowdiff";

export interface StoreSettings {
  /** `chdb:DIR` (embedded, the default) or `clickhouse:http(s)://host:port`. */
  readonly store: string;
  readonly database?: string;
  readonly username?: string;
  readonly password?: string;
  /** Path of a PEM CA certificate for a TLS server. */
  readonly caCert?: string;
}

export async function openStore(settings: StoreSettings, access: StoreAccess = "write"): Promise<Store> {
  const spec = settings.store;
  const database = settings.database ?? "shadowdiff";
  // Backends load on demand: chDB maps a ~550 MB engine into the process, which commands that
  // never touch a store (`diff`, `release`) should not pay for in memory or start-up time.
  if (spec.startsWith("chdb:")) {
    const { openChdbStore } = await import("./chdb-store.js");
    return openChdbStore(spec.slice("chdb:".length) || "./.shadowdiff", database, access);
  }
  const url = spec.startsWith("clickhouse:") ? spec.slice("clickhouse:".length) : spec;
  if (!/^https?:\/\//.test(url)) {
    throw new ShadowdiffError(
      "BAD_USAGE",
      `--store '${spec}': expected chdb:DIR or clickhouse:http(s)://host:port`,
    );
  }
  const caCert = settings.caCert === undefined ? undefined : await readFile(settings.caCert);
  const { openClickHouseStore } = await import("./clickhouse-store.js");
  return openClickHouseStore({
    url,
    database,
    access,
    ...(settings.username === undefined ? {} : { username: settings.username }),
    ...(settings.password === undefined ? {} : { password: settings.password }),
    ...(caCert === undefined ? {} : { caCert }),
  });
}
