import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrationTableStatement, stepStatements } from "../../../src/store/migrations.js";
import { rollupStatements } from "../../../src/store/rollups.js";
import { sqlString, sqlTuple } from "../../../src/store/sql.js";

const cluster = { kind: "cluster", cluster: "prod", zooPath: "/clickhouse/tables" } as const;

describe("migrations", () => {
  it("are numbered 1..n without gaps", () => {
    expect(MIGRATIONS.map((migration) => migration.id)).toEqual(MIGRATIONS.map((_, index) => index + 1));
  });

  it("create replacing tables keyed by pair in the single layout", () => {
    const statements = MIGRATIONS.flatMap((migration) => migration.steps("sd", { kind: "single" })).flatMap(
      stepStatements,
    );
    const pairs = statements.find((statement) => statement.includes("sd.pairs "));
    expect(pairs).toContain(
      "ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(ts) ORDER BY (candidate_release, request_id, replica)",
    );
    expect(statements.some((statement) => statement.includes("sd.unpaired"))).toBe(true);
    expect(statements.join("\n")).not.toMatch(/LowCardinality|DateTime64|Map\(|CODEC/);
  });

  it("create Replicated local tables under Distributed ones in the cluster layout", () => {
    const statements = MIGRATIONS.flatMap((migration) => migration.steps("sd", cluster)).flatMap(
      stepStatements,
    );
    expect(statements).toContain(
      "CREATE TABLE IF NOT EXISTS sd.pairs ON CLUSTER prod AS sd.pairs_local ENGINE = Distributed(prod, sd, pairs_local, cityHash64(candidate_release, request_id, replica))",
    );
    const local = statements.find((statement) =>
      statement.startsWith("CREATE TABLE IF NOT EXISTS sd.pairs_local ON CLUSTER prod"),
    );
    expect(local).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/sd/pairs', '{replica}', version)",
    );
    expect(migrationTableStatement("sd", cluster)).toContain("sd.schema_migrations ON CLUSTER prod");
  });
});

describe("the rollups", () => {
  const statementsOf = (layout: Parameters<(typeof MIGRATIONS)[number]["steps"]>[1]) =>
    (MIGRATIONS.find((migration) => migration.id === 4)?.steps("sd", layout) ?? []).flatMap(stepStatements);

  it("are a summing table, a view into it and a backfill each, on a single node only", () => {
    const statements = statementsOf({ kind: "single" });
    expect(statements).toHaveLength(9);
    for (const table of ["pair_rollup_v1", "tool_rollup_v1", "score_rollup_v1"]) {
      expect(statements).toContainEqual(
        expect.stringMatching(
          new RegExp(`^CREATE TABLE IF NOT EXISTS sd\\.${table} \\([^]*ENGINE = SummingMergeTree\\(\\)`),
        ),
      );
      expect(statements).toContainEqual(
        expect.stringContaining(`CREATE MATERIALIZED VIEW IF NOT EXISTS sd.${table}_mv TO sd.${table} AS`),
      );
      // Backfilled only into an empty rollup, from the pairs already stored.
      const backfill = statements.find((statement) => statement.startsWith(`INSERT INTO sd.${table} (`));
      expect(backfill).toContain("FROM sd.pairs");
      expect(backfill).toContain(`(SELECT count() FROM sd.${table}) = 0`);
    }
    expect(statements.join("\n")).not.toMatch(/LowCardinality|DateTime64|Map\(|CODEC|FINAL/);
    expect(statementsOf(cluster)).toEqual([]);
  });

  it("are fixed once released: a changed counter is a new rollup version", () => {
    // The views sum what rollup-counters.ts says; a store keeps the views its migration made.
    // Changing a counter's name or SQL without a new migration (tables *_v2 and their views)
    // would leave old stores summing the old expressions under the new names.
    const digest = createHash("sha256").update(rollupStatements("sd").join("\n")).digest("hex");
    expect(digest).toBe("185bf10ebc695a0b6ea911e59fae70742da3b36ab677d7537cf3dd7f740ec915");
  });
});

describe("SQL literals", () => {
  it("escape quotes and backslashes, and write IN lists as tuples", () => {
    expect(sqlString("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(sqlTuple(["a", "b'c"])).toBe("('a', 'b\\'c')");
  });
});
