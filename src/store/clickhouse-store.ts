import { Readable } from "node:stream";
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from "@clickhouse/client";
import { displayUrl } from "../contracts/display-url.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { parseJsonEachRow } from "./json-each-row.js";
import { sqlIdentifier } from "./sql.js";
import type { Store, StoreAccess } from "./store.js";
import { encodeRows } from "./tab-separated.js";

export interface ClickHouseOptions {
  /** `http://host:8123` or `https://…` (TLS follows the scheme). */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly database?: string;
  /** PEM CA certificate for TLS servers with a private CA. */
  readonly caCert?: Buffer;
  readonly requestTimeoutMs?: number;
  /**
   * `write` (default) creates the database when it is missing; `read` never creates anything, so
   * read-only credentials (a `readonly=1` profile) work for commands that only read.
   */
  readonly access?: StoreAccess;
}

/**
 * A ClickHouse server through @clickhouse/client (HTTP). Keep-alive stays on, with idle sockets
 * dropped after 2.5 s: the server closes idle keep-alive connections after 3 s by default
 * (`keep_alive_timeout`), and a request sent on a socket the server is closing fails with
 * ECONNRESET. Retiring them client-side first avoids that race.
 */
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|other side closed|network socket disconnected|Timeout|aborted/i;

/**
 * ClickHouse error codes a retry can outlive: too many queries or parts, memory, timeouts,
 * network and keeper trouble, a replica read-only for a moment, a server shutting down. Any other
 * error (a missing column, a rejected query) is permanent, and a consumer stops on it rather
 * than retrying for ever.
 */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  3, 159, 202, 209, 210, 241, 242, 252, 285, 319, 394, 425, 999,
]);

export async function openClickHouseStore(options: ClickHouseOptions): Promise<Store> {
  const database = sqlIdentifier(options.database ?? "shadowdiff");
  let client: ClickHouseClient;
  try {
    client = createClient({
      url: options.url,
      username: options.username ?? "default",
      password: options.password ?? "",
      request_timeout: options.requestTimeoutMs ?? 300_000,
      keep_alive: { enabled: true, idle_socket_ttl: 2_500 },
      // Failures reach the caller as located ShadowdiffErrors; the client's own log would print
      // each one a second time, with a stack, on stderr.
      log: { level: ClickHouseLogLevel.OFF },
      ...(options.caCert ? { tls: { ca_cert: options.caCert } } : {}),
    });
  } catch (cause) {
    // The client validates the URL (its parameters, its scheme) as it is created: a user's typo.
    throw new ShadowdiffError(
      "BAD_USAGE",
      `--store clickhouse:${displayUrl(options.url)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  const location = `${displayUrl(options.url)}/${database}`;
  const fail = (sql: string, cause: unknown): never => {
    const message = cause instanceof Error ? cause.message : String(cause);
    const unreachable = UNREACHABLE.test(message);
    // A server that is overloaded or restarting answers with an error a later try may not get.
    const transient = TRANSIENT_CODES.has(Number(/Code: (\d+)/.exec(message)?.[1]));
    throw new ShadowdiffError(
      unreachable ? "STORE_UNAVAILABLE" : "STORE_QUERY_FAILED",
      `${location}: ${message.split("\n")[0]}${unreachable ? "" : `\n  in: ${sql.slice(0, 300)}`}`,
      { context: { source: location }, retriable: unreachable || transient, cause },
    );
  };
  const store: Store = {
    kind: "clickhouse",
    location,
    database,
    async exec(sql) {
      try {
        await client.command({ query: sql });
      } catch (cause) {
        fail(sql, cause);
      }
    },
    async query<Row>(sql: string): Promise<Row[]> {
      try {
        const result = await client.query({ query: sql, format: "JSONEachRow" });
        return parseJsonEachRow<Row>(await result.text());
      } catch (cause) {
        return fail(sql, cause);
      }
    },
    insertRows(table, rows) {
      return store.insertEncoded(table, encodeRows(rows));
    },
    async insertEncoded(table, encoded) {
      if (encoded.rows === 0) return;
      try {
        await client.insert({
          table: `${database}.${sqlIdentifier(table)}`,
          values: Readable.from(encoded.chunks, { objectMode: false }),
          format: "TabSeparated",
          columns: encoded.columns.map(sqlIdentifier) as [string, ...string[]],
        });
      } catch (cause) {
        fail(`INSERT INTO ${database}.${table} FORMAT TabSeparated (${encoded.rows} rows)`, cause);
      }
    },
    async close() {
      await client.close();
    },
  };
  if (options.access !== "read") await store.exec(`CREATE DATABASE IF NOT EXISTS ${database}`);
  return store;
}
