import {
  addColumnsStatement,
  type Layout,
  MIGRATIONS,
  type MigrationStep,
  migrationTableStatement,
} from "./migrations.js";
import { sqlNumber, sqlString } from "./sql.js";
import type { Store } from "./store.js";

export interface MigrationState {
  readonly id: number;
  readonly name: string;
  readonly applied: boolean;
  readonly appliedAt: string | null;
}

const SINGLE: Layout = { kind: "single" };

/** Applies every migration not yet recorded, in order; returns the ones it applied. */
export async function migrate(store: Store, layout: Layout = SINGLE): Promise<MigrationState[]> {
  await store.exec(migrationTableStatement(store.database, layout));
  const applied = await appliedMigrations(store);
  const done: MigrationState[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) continue;
    for (const step of migration.steps(store.database, layout)) await applyStep(store, step);
    await store.exec(
      `INSERT INTO ${store.database}.schema_migrations (id, name, applied_at) VALUES (${sqlNumber(migration.id)}, ${sqlString(migration.name)}, now())`,
    );
    done.push({ id: migration.id, name: migration.name, applied: true, appliedAt: null });
  }
  return done;
}

/**
 * Runs one step. Columns are added only where missing; when the ALTER fails because another
 * process added them in between (two members of a consumer group starting together), the step is
 * done once every column is there.
 */
async function applyStep(store: Store, step: MigrationStep): Promise<void> {
  if (step.kind === "sql") return store.exec(step.sql);
  const missing = await missingColumns(store, step);
  if (missing.length === 0) return;
  try {
    await store.exec(addColumnsStatement(step, missing));
  } catch (error) {
    if ((await missingColumns(store, step)).length > 0) throw error;
  }
}

async function missingColumns(
  store: Store,
  step: Extract<MigrationStep, { kind: "add-columns" }>,
): Promise<(readonly [string, string])[]> {
  const rows = await store.query<{ name: string }>(
    `SELECT name FROM system.columns WHERE database = ${sqlString(step.database)} AND table = ${sqlString(step.table)}`,
  );
  const present = new Set(rows.map((row) => row.name));
  return step.columns.filter(([name]) => !present.has(name));
}

export async function migrationStatus(store: Store): Promise<MigrationState[]> {
  const exists = await store.query<{ n: number | string }>(
    `SELECT count() AS n FROM system.tables WHERE database = ${sqlString(store.database)} AND name = 'schema_migrations'`,
  );
  const applied = Number(exists[0]?.n ?? 0) > 0 ? await appliedMigrations(store) : new Map<number, string>();
  return MIGRATIONS.map((migration) => ({
    id: migration.id,
    name: migration.name,
    applied: applied.has(migration.id),
    appliedAt: applied.get(migration.id) ?? null,
  }));
}

/** True when every known migration is applied: commands that read or write call this first. */
export async function isCurrent(store: Store): Promise<boolean> {
  return (await migrationStatus(store)).every((state) => state.applied);
}

async function appliedMigrations(store: Store): Promise<Map<number, string>> {
  const rows = await store.query<{ id: number; applied_at: string }>(
    `SELECT id, toString(applied_at) AS applied_at FROM ${store.database}.schema_migrations ORDER BY id`,
  );
  return new Map(rows.map((row) => [Number(row.id), row.applied_at]));
}
