import { afterAll, describe, expect, inject, it } from "vitest";
import { runShadowdiff } from "../support/cli.js";

/**
 * Read commands with read-only credentials: Debian's clickhouse-server ships a `readonly` user
 * (profile `readonly`: readonly=1, so no DDL, no INSERT and no per-query settings). report,
 * gate and db status must work with it; only run, consume and db migrate create anything.
 */
const url = () => inject("clickhouseUrl");
const database = `least_privilege_${process.pid}_${Date.now().toString(36)}`;

afterAll(async () => {
  await fetch(url(), { method: "POST", body: `DROP DATABASE IF EXISTS ${database}` });
});

describe("read-only credentials", () => {
  it("are enough for report, gate and db status, and a read never creates the database", async () => {
    const readonly = ["--store", `clickhouse:${url()}`, "--database", database, "--user", "readonly"];
    const before = await runShadowdiff(["report", "--candidate", "support-agent@1.4.1", ...readonly]);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain(`there is no database '${database}'`);
    const status = await runShadowdiff(["db", "status", ...readonly]);
    expect(status.code, status.stderr).toBe(1);
    expect(status.stdout).toContain("pending: run 'shadowdiff db migrate");

    const written = await runShadowdiff([
      "run",
      "--source",
      "file:fixtures/captures/baseline.jsonl",
      "--candidate",
      "file:fixtures/captures/candidate-prompt-tweak.jsonl",
      "--store",
      `clickhouse:${url()}`,
      "--database",
      database,
      "--format",
      "none",
    ]);
    expect(written.code, written.stderr).toBe(0);

    const report = await runShadowdiff(["report", "--candidate", "support-agent@1.4.1", ...readonly]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain("support-agent@1.4.1");
    const gate = await runShadowdiff([
      "gate",
      "--candidate",
      "support-agent@1.4.1",
      "--policy",
      "fixtures/releases/gate.yaml",
      ...readonly,
    ]);
    expect([0, 1, 3]).toContain(gate.code);
    expect(gate.stderr).not.toMatch(/readonly mode/);
    expect((await runShadowdiff(["db", "status", ...readonly])).code).toBe(0);
  });

  it("name the store by a well-formed URL, without its query string", async () => {
    const status = await runShadowdiff([
      "db",
      "status",
      "--store",
      `clickhouse:${url()}/?request_timeout=5000`,
      "--database",
      database,
      "--user",
      "readonly",
    ]);
    expect(status.stdout.split("\n")[0]).toBe(`${url()}/${database} (database ${database})`);
  });
});
