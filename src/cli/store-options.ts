import { DEFAULT_STORE, type StoreSettings } from "../store/open-store.js";
import { plainIdentifier } from "./option-parsers.js";
import { option } from "./option-table.js";

/** The store flags every command that reads or writes pairs shares. */
export const storeOptions = {
  store: option({
    flags: "--store <spec>",
    description: "chdb:DIR (embedded, no server) or clickhouse:http(s)://host:port",
    env: "SHADOWDIFF_STORE",
    defaultValue: DEFAULT_STORE,
  }),
  database: option({
    flags: "--database <name>",
    description: "database holding shadowdiff's tables",
    env: "SHADOWDIFF_DATABASE",
    defaultValue: "shadowdiff",
    parse: plainIdentifier,
  }),
  user: option({
    flags: "--user <name>",
    defaultText: "default",
    description: "ClickHouse user",
    env: "SHADOWDIFF_CLICKHOUSE_USER",
  }),
  password: option({
    // Never a flag value in shell history by preference: the env variable is the documented way.
    flags: "--password <password>",
    defaultText: "none",
    description: "ClickHouse password (prefer the env variable)",
    env: "SHADOWDIFF_CLICKHOUSE_PASSWORD",
  }),
  caCert: option({
    flags: "--ca-cert <file>",
    defaultText: "the system CAs",
    description: "PEM CA certificate for a TLS (https) server",
    env: "SHADOWDIFF_CLICKHOUSE_CA_CERT",
  }),
} as const;

export function storeSettings(values: {
  readonly store: string;
  readonly database: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly caCert: string | undefined;
}): StoreSettings {
  return {
    store: values.store,
    database: values.database,
    ...(values.user === undefined ? {} : { username: values.user }),
    ...(values.password === undefined ? {} : { password: values.password }),
    ...(values.caCert === undefined ? {} : { caCert: values.caCert }),
  };
}
