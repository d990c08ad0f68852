import { readFile } from "node:fs/promises";
import { ShadowdiffError } from "../contracts/errors.js";
import { openChdbStore } from "./chdb-store.js";
import { openClickHouseStore } from "./clickhouse-store.js";
import type { Store } from "./store.js";

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

export async function openStore(settings: StoreSettings): Promise<Store> {
  const spec = settings.store;
  const database = settings.database ?? "shadowdiff";
  if (spec.startsWith("chdb:")) return openChdbStore(spec.slice("chdb:".length) || "./.shadowdiff", database);
  const url = spec.startsWith("clickhouse:") ? spec.slice("clickhouse:".length) : spec;
  if (!/^https?:\/\//.test(url)) {
    throw new ShadowdiffError(
      "BAD_USAGE",
      `--store '${spec}': expected chdb:DIR or clickhouse:http(s)://host:port`,
    );
  }
  const caCert = settings.caCert === undefined ? undefined : await readFile(settings.caCert);
  return openClickHouseStore({
    url,
    database,
    ...(settings.username === undefined ? {} : { username: settings.username }),
    ...(settings.password === undefined ? {} : { password: settings.password }),
    ...(caCert === undefined ? {} : { caCert }),
  });
}
