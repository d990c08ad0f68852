import { mkdir } from "node:fs/promises";
import { drainPending, Session } from "chdb";
import { ShadowdiffError } from "../contracts/errors.js";
import { parseJsonEachRow } from "./json-each-row.js";
import { sqlIdentifier } from "./sql.js";
import type { Store, StoreAccess } from "./store.js";
import { encodeRows } from "./tab-separated.js";

/**
 * The embedded default: the ClickHouse engine in-process through chDB, data in a directory.
 * libchdb binds one data directory per process, so a process opens one ChdbStore at a time
 * (another directory only after `close`); two processes cannot share a directory.
 */
export async function openChdbStore(
  directory: string,
  database = "shadowdiff",
  access: StoreAccess = "write",
): Promise<Store> {
  await mkdir(directory, { recursive: true });
  await drainPending();
  let session: Session;
  try {
    session = new Session(directory);
  } catch (cause) {
    throw new ShadowdiffError(
      "STORE_UNAVAILABLE",
      `cannot open chDB store at ${directory}: ${describe(cause)}`,
      {
        context: { source: `chdb:${directory}` },
        cause,
      },
    );
  }
  const db = sqlIdentifier(database);
  const location = `chdb:${directory}`;
  const fail = (sql: string, cause: unknown): never => {
    throw new ShadowdiffError(
      "STORE_QUERY_FAILED",
      `${location}: ${describe(cause)}\n  in: ${sql.slice(0, 300)}`,
      {
        context: { source: location },
        cause,
      },
    );
  };
  const store: Store = {
    kind: "chdb",
    location,
    database: db,
    async exec(sql) {
      try {
        await session.queryAsync(sql, { format: "TabSeparated" });
      } catch (cause) {
        fail(sql, cause);
      }
    },
    async query<Row>(sql: string): Promise<Row[]> {
      try {
        const result = await session.queryAsync(sql, { format: "JSONEachRow" });
        return parseJsonEachRow<Row>(result.text());
      } catch (cause) {
        return fail(sql, cause);
      }
    },
    insertRows(table, rows) {
      return store.insertEncoded(table, encodeRows(rows));
    },
    async insertEncoded(table, encoded) {
      if (encoded.rows === 0) return;
      // One Buffer goes to the engine without another copy on the V8 heap.
      const payload = encoded.chunks.length === 1 ? encoded.chunks[0] : Buffer.concat(encoded.chunks);
      try {
        await session.insert({
          table: `${db}.${sqlIdentifier(table)}`,
          values: payload as Buffer,
          format: "TabSeparated",
          columns: encoded.columns.map(sqlIdentifier),
        });
      } catch (cause) {
        fail(`INSERT INTO ${db}.${table} FORMAT TabSeparated (${encoded.rows} rows)`, cause);
      }
    },
    async close() {
      session.close();
      await drainPending();
    },
  };
  if (access !== "read") await store.exec(`CREATE DATABASE IF NOT EXISTS ${db}`);
  return store;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? (cause.message.split("\n")[0] ?? cause.message) : String(cause);
}
