import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrationTableStatement, stepStatements } from "../../../src/store/migrations.js";
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

describe("SQL literals", () => {
  it("escape quotes and backslashes, and write IN lists as tuples", () => {
    expect(sqlString("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(sqlTuple(["a", "b'c"])).toBe("('a', 'b\\'c')");
  });
});
