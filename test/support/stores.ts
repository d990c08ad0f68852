import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { openChdbStore } from "../../src/store/chdb-store.js";
import { openClickHouseStore } from "../../src/store/clickhouse-store.js";
import type { Store } from "../../src/store/store.js";

export type Backend = "chdb" | "clickhouse";
export const BACKENDS: readonly Backend[] = ["chdb", "clickhouse"];

let counter = 0;

/** A fresh database of its own for one test, on the given backend; `dispose` drops it. */
export async function freshStore(backend: Backend): Promise<{ store: Store; dispose: () => Promise<void> }> {
  counter++;
  const database = `t_${process.pid}_${Date.now().toString(36)}_${counter}`;
  if (backend === "clickhouse") {
    const store = await openClickHouseStore({ url: inject("clickhouseUrl"), database });
    return {
      store,
      dispose: async () => {
        await store.exec(`DROP DATABASE IF EXISTS ${database}`);
        await store.close();
      },
    };
  }
  const directory = await chdbDirectory();
  const store = await openChdbStore(directory, database);
  return {
    store,
    dispose: async () => {
      await store.exec(`DROP DATABASE IF EXISTS ${database}`);
      await store.close();
    },
  };
}

// libchdb binds one data directory per process: every test in a worker shares one directory and
// keeps apart by database.
let chdbDir: string | undefined;
async function chdbDirectory(): Promise<string> {
  chdbDir ??= await mkdtemp(join(tmpdir(), "shadowdiff-chdb-"));
  return chdbDir;
}

export async function removeChdbDirectory(): Promise<void> {
  if (chdbDir !== undefined) await rm(chdbDir, { recursive: true, force: true });
}
