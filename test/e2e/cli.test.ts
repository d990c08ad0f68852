import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../src/analyze/report-types.js";

/**
 * The built CLI as a user runs it: a separate process, real exit codes, the embedded store.
 * `npm run check` builds before testing, so bin/shadowdiff.js runs the code under test.
 */
const run = promisify(execFile);

async function shadowdiff(args: readonly string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run("node", ["bin/shadowdiff.js", ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("shadowdiff CLI (built, in its own process)", () => {
  it("runs the demo into chDB and reports both candidates", async () => {
    const store = `chdb:${await mkdtemp(join(tmpdir(), "shadowdiff-demo-"))}`;
    const { stdout, stderr } = await run("bash", ["scripts/demo.sh", "--format", "json"], {
      env: { ...process.env, SHADOWDIFF_STORE: store },
    });
    const { reports } = JSON.parse(stdout) as { reports: DriftReport[] };
    // It ends with each candidate's verdict and the commands to go on with, on the demo's store.
    expect(stderr).toMatch(/shadowdiff gate: .*fail/);
    expect(stderr).toMatch(/shadowdiff gate: .*promote/);
    expect(stderr).toContain(`report --candidate support-agent@1.5.0-rc.1 --store ${store} --format html`);
    expect(reports.map((report) => report.candidate.version).sort()).toEqual(["1.4.1", "1.5.0-rc.1"]);
    for (const report of reports) {
      expect(report.overall.pairs).toBe(600);
      expect(Object.keys(report.segments)).toEqual(["tenant", "intent"]);
    }
  });

  it("says a store is missing or empty, names the demo's store, and creates nothing", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-empty-"));
    const missing = await shadowdiff(["report", "--candidate", "x", "--store", `chdb:${directory}/none`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`there is no store at ${directory}/none`);
    expect(missing.stderr).toContain("--store chdb:./.shadowdiff/demo");
    expect(existsSync(`${directory}/none`)).toBe(false);
    await shadowdiff(["db", "migrate", "--store", `chdb:${directory}/empty`]);
    const empty = await shadowdiff([
      "gate",
      "--candidate",
      "x",
      "--policy",
      "fixtures/releases/gate.yaml",
      "--store",
      `chdb:${directory}/empty`,
    ]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("has no pairs yet");
  });

  it("migrates a store, reports its status, and writes a Markdown report to a file", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-db-"));
    const store = `chdb:${directory}/store`;
    const pending = await shadowdiff(["db", "status", "--store", store]);
    expect(pending.stdout).toMatch(/1\s+pairs and releases\s+pending/);
    const migrated = await shadowdiff(["db", "migrate", "--store", store]);
    expect(migrated.stdout).toContain("applied migration 1 (pairs and releases)");
    expect((await shadowdiff(["db", "migrate", "--store", store])).stdout).toContain("schema is current");
    expect((await shadowdiff(["db", "status", "--store", store])).stdout).toMatch(
      /1\s+pairs and releases\s+applied/,
    );
    await run("bash", ["scripts/demo.sh", "--format", "none"], {
      env: { ...process.env, SHADOWDIFF_STORE: store },
    });
    const out = join(directory, "drift.md");
    const report = await shadowdiff([
      "report",
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--by",
      "tenant",
      "--format",
      "markdown",
      "--out",
      out,
      "--store",
      store,
    ]);
    expect(report.code).toBe(0);
    const markdown = await readFile(out, "utf8");
    expect(markdown).toContain("## shadowdiff drift report");
    expect(markdown).toContain("| refusal rate |");
    // Rebuilt from the stored pairs, the rollups give the same report.
    const rebuilt = await shadowdiff(["db", "rebuild-rollups", "--store", store]);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/rollups rebuilt in \d/);
    const again = join(directory, "again.md");
    const args = [
      "report",
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--by",
      "tenant",
      "--format",
      "markdown",
    ];
    expect((await shadowdiff([...args, "--out", again, "--store", store])).code).toBe(0);
    expect(await readFile(again, "utf8")).toBe(markdown);
    const unknown = await shadowdiff(["report", "--candidate", "nope", "--store", store]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no candidate release 'nope' in the store");
  });

  it("exits 2 on invalid lines with --strict, 0 without", async () => {
    const args = [
      "diff",
      "--baseline",
      "fixtures/captures/bad-lines/baseline.jsonl",
      "--candidate",
      "fixtures/captures/bad-lines/candidate.jsonl",
    ];
    expect((await shadowdiff(args)).code).toBe(0);
    const strict = await shadowdiff([...args, "--strict"]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("invalid line(s) and --strict is set");
    // run has --strict too, and an empty capture says so.
    const store = `chdb:${await mkdtemp(join(tmpdir(), "shadowdiff-strict-"))}`;
    const run = [
      "run",
      "--source",
      "file:fixtures/captures/bad-lines/baseline.jsonl",
      "--candidate",
      "file:fixtures/captures/bad-lines/candidate.jsonl",
      "--store",
      store,
      "--format",
      "none",
    ];
    expect((await shadowdiff(run)).code).toBe(0);
    const strictRun = await shadowdiff([...run, "--strict"]);
    expect(strictRun.code).toBe(2);
    expect(strictRun.stderr).toContain("invalid line(s) and --strict is set");
    const empty = join(await mkdtemp(join(tmpdir(), "shadowdiff-empty-capture-")), "empty.jsonl");
    await writeFile(empty, "");
    const nothing = await shadowdiff(["diff", "--baseline", empty, "--candidate", empty, "--strict"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("hold no records");
  });

  it("exits 1 when release lint finds something, and 2 on unknown options", async () => {
    expect((await shadowdiff(["release", "lint", "fixtures/releases/lint/floating-model.yaml"])).code).toBe(
      1,
    );
    const bad = await shadowdiff(["diff", "--no-such-flag"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option");
  });

  it("prints help with every command", async () => {
    const help = await shadowdiff(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["diff", "run", "report", "release", "db"]) expect(help.stdout).toContain(command);
  });
});
