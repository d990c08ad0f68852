import type { Command } from "commander";
import { migrate, migrationStatus } from "../../store/migrate.js";
import type { Layout } from "../../store/migrations.js";
import { openStore } from "../../store/open-store.js";
import { rebuildRollups } from "../../store/rebuild-rollups.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { storeOptions, storeSettings } from "../store-options.js";

const migrateOptions = {
  ...storeOptions,
  cluster: option({
    flags: "--cluster <name>",
    defaultText: "single-server tables",
    description: "create Replicated tables on this cluster under Distributed tables (see docs/STORE.md)",
    env: "SHADOWDIFF_CLUSTER",
  }),
  zooPath: option({
    flags: "--zoo-path <path>",
    description: "Keeper path prefix for replicated tables",
    defaultValue: "/clickhouse/tables",
  }),
} as const;

export function registerDb(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const db = program.command("db").description("manage the store's schema");

  const migrateCommand = db
    .command("migrate")
    .description("apply every schema migration not yet applied (additive only, safe to re-run)");
  addOptions(migrateCommand, migrateOptions);
  migrateCommand.action(() =>
    run(async () => {
      const options = readOptions(
        migrateCommand,
        migrateOptions,
        await loadCommandConfig(migrateCommand, context.env),
        context.env,
      );
      const layout: Layout =
        options.cluster === undefined
          ? { kind: "single" }
          : { kind: "cluster", cluster: options.cluster, zooPath: options.zooPath };
      const store = await openStore(storeSettings(options));
      try {
        const applied = await migrate(store, layout);
        if (applied.length === 0) context.stdout(`${store.location}: schema is current\n`);
        for (const migration of applied) {
          context.stdout(`${store.location}: applied migration ${migration.id} (${migration.name})\n`);
        }
      } finally {
        await store.close();
      }
      return EXIT.ok;
    }),
  );

  const statusCommand = db.command("status").description("show which migrations are applied");
  addOptions(statusCommand, storeOptions);
  statusCommand.action(() =>
    run(async () => {
      const options = readOptions(
        statusCommand,
        storeOptions,
        await loadCommandConfig(statusCommand, context.env),
        context.env,
      );
      // Reading the status creates nothing: read-only credentials can ask.
      const store = await openStore(storeSettings(options), "read");
      let pending = 0;
      try {
        const states = await migrationStatus(store);
        pending = states.filter((state) => !state.applied).length;
        const width = Math.max(...states.map((state) => state.name.length));
        context.stdout(`${store.location} (database ${store.database})\n`);
        for (const state of states) {
          const when = state.applied ? `applied ${state.appliedAt ?? ""}`.trim() : "pending";
          context.stdout(`  ${String(state.id).padStart(3)}  ${state.name.padEnd(width)}  ${when}\n`);
        }
        if (pending > 0) {
          context.stdout(
            `${pending} migration(s) pending: run 'shadowdiff db migrate --store ${options.store}'\n`,
          );
        }
      } finally {
        await store.close();
      }
      // A finding, like lint's: a deploy script can check the schema before it starts readers.
      return pending > 0 ? EXIT.fail : EXIT.ok;
    }),
  );

  const rebuildCommand = db
    .command("rebuild-rollups")
    .description(
      "recount the report's rollups from the stored pairs (after redelivered batches made reports scan; run while nothing writes)",
    );
  addOptions(rebuildCommand, storeOptions);
  rebuildCommand.action(() =>
    run(async () => {
      const options = readOptions(
        rebuildCommand,
        storeOptions,
        await loadCommandConfig(rebuildCommand, context.env),
        context.env,
      );
      const store = await openStore(storeSettings(options));
      try {
        const started = Date.now();
        await rebuildRollups(store, (step) => context.stderr(`  ${step}\n`));
        context.stdout(
          `${store.location}: rollups rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      } finally {
        await store.close();
      }
      return EXIT.ok;
    }),
  );
}
