import { sqlString } from "./sql.js";
import type { Store } from "./store.js";

/** Whether the store's database exists (read-only credentials can ask; nothing is created). */
export async function databaseExists(store: Store): Promise<boolean> {
  const [row] = await store.query<{ n: number | string }>(
    `SELECT count() AS n FROM system.databases WHERE name = ${sqlString(store.database)}`,
  );
  return Number(row?.n ?? 0) > 0;
}

/** How many pair rows the store holds (before FINAL: enough to tell empty from not). */
export async function storedPairRows(store: Store): Promise<number> {
  const [row] = await store.query<{ n: number | string }>(`SELECT count() AS n FROM ${store.database}.pairs`);
  return Number(row?.n ?? 0);
}
