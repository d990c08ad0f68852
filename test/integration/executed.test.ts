import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ScriptedServer, startScriptedModelServer } from "../../fixtures/model-server/server.js";
import { openClickHouseStore } from "../../src/store/clickhouse-store.js";
import type { Store } from "../../src/store/store.js";

/**
 * `shadowdiff run --candidate release:…` through the built CLI, against the scripted model server
 * (a FIXTURE). Sampling must be deterministic and session-whole, the budget must stop spending
 * and count what it skipped, and the API key must appear nowhere: not in logs, reports, the
 * dead-letter file or any stored row.
 */
const run = promisify(execFile);
const SECRET = "sk-test-DO-NOT-LEAK-7f3a9c";
let models: ScriptedServer;
let directory: string;
const stores: Store[] = [];
let count = 0;

beforeAll(async () => {
  models = await startScriptedModelServer();
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-executed-"));
  // Manifests written here reference their prompt and tools beside them: a manifest may not
  // reach outside its own folder.
  await cp("fixtures/releases/prompts", join(directory, "prompts"), { recursive: true });
  await cp("fixtures/releases/tools", join(directory, "tools"), { recursive: true });
});

afterAll(async () => {
  await models.close();
  for (const store of stores) {
    await store.exec(`DROP DATABASE IF EXISTS ${store.database}`).catch(() => {});
    await store.close();
  }
});

/** A fresh database on the ClickHouse server, and the --store/--database flags that reach it. */
async function freshServerStore(): Promise<{ store: Store; flags: string[] }> {
  count++;
  const database = `executed_${process.pid}_${Date.now().toString(36)}_${count}`;
  const store = await openClickHouseStore({ url: inject("clickhouseUrl"), database });
  stores.push(store);
  return { store, flags: ["--store", `clickhouse:${inject("clickhouseUrl")}`, "--database", database] };
}

async function shadowdiff(args: readonly string[]) {
  const { stdout, stderr } = await run("node", ["bin/shadowdiff.js", ...args], {
    env: { ...process.env, SHADOWDIFF_TEST_PROVIDER_KEY: SECRET },
    maxBuffer: 64 << 20,
  });
  return { stdout, stderr };
}

function executedArgs(store: readonly string[], extra: readonly string[] = []): string[] {
  return [
    "run",
    "--source",
    "file:fixtures/captures/baseline.jsonl",
    "--candidate",
    "release:fixtures/releases/candidate-model-upgrade.yaml",
    "--release",
    "fixtures/releases/baseline.yaml",
    "--model-base-url",
    models.url,
    "--rate-limit",
    "500",
    "--concurrency",
    "16",
    ...store,
    "--dead-letter",
    join(directory, "dead.jsonl"),
    "--format",
    "json",
    ...extra,
  ];
}

describe("shadowdiff run with executed candidates", () => {
  it("samples whole sessions deterministically: the same input gives the same sample", async () => {
    const a = await freshServerStore();
    const b = await freshServerStore();
    const first = await shadowdiff(executedArgs(a.flags, ["--sample", "30%"]));
    await shadowdiff(executedArgs(b.flags, ["--sample", "30%"]));
    const pairs = Number(/(\d+) pairs, 0 candidate errors/.exec(first.stderr)?.[1]);
    const ids = async (store: Store) =>
      (
        await store.query<{ request_id: string }>(
          `SELECT request_id FROM ${store.database}.pairs FINAL ORDER BY request_id`,
        )
      ).map((row) => row.request_id);
    const sampledIds = await ids(a.store);
    expect(sampledIds).toHaveLength(pairs);
    expect(await ids(b.store)).toEqual(sampledIds);
    // Session-whole: every fixture session has all of its requests in the sample, or none.
    const baseline = (await readFile("fixtures/captures/baseline.jsonl", "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; session: string });
    const inSample = new Set(sampledIds);
    const sessions = new Map<string, boolean[]>();
    for (const record of baseline) {
      sessions.set(record.session, [...(sessions.get(record.session) ?? []), inSample.has(record.id)]);
    }
    expect([...sessions.values()].some((flags) => flags.length > 1)).toBe(true);
    expect([...sessions.values()].every((flags) => flags.every((flag) => flag === flags[0]))).toBe(true);
    // Exactly the documented rule (docs: a session is in when the first 32 bits of
    // sha256("\0" + session) over 2^32 are below the share), so the count is pinned, not a range.
    const expected = baseline
      .filter(
        (record) =>
          createHash("sha256").update(`\u0000${record.session}`).digest().readUInt32BE(0) / 2 ** 32 < 0.3,
      )
      .map((record) => record.id)
      .sort();
    expect(sampledIds).toEqual(expected);
    expect(pairs).toBe(expected.length);
  });

  it("re-runs the baseline release on a share of sessions (A/A, replica 1), so the noise floor is measured", async () => {
    const { store, flags } = await freshServerStore();
    const { stdout, stderr } = await shadowdiff(
      executedArgs(flags, ["--sample", "50%", "--baseline-replay", "50%"]),
    );
    const aa = Number(/baseline re-run \(A\/A\): (\d+) pairs/.exec(stderr)?.[1]);
    expect(aa).toBeGreaterThan(60);
    const rows = await store.query<{ n: string }>(
      `SELECT count() AS n FROM ${store.database}.pairs FINAL WHERE candidate_release = baseline_release AND replica = 1`,
    );
    expect(Number(rows[0]?.n)).toBe(aa);
    const report = (JSON.parse(stdout) as { reports: { noise: { aa_pairs: number } | null }[] }).reports[0];
    expect(report?.noise?.aa_pairs).toBe(aa);
  });

  it("holds requests to the provider rate limit (token bucket, burst = concurrency)", async () => {
    const { flags } = await freshServerStore();
    const started = Date.now();
    const { stderr } = await shadowdiff(
      executedArgs(flags, ["--include", "intent=abuse", "--rate-limit", "10", "--concurrency", "2"]).map(
        (arg) => (arg === "500" ? "10" : arg === "16" ? "2" : arg),
      ),
    );
    const pairs = Number(/(\d+) pairs, \d+ candidate errors/.exec(stderr)?.[1]);
    expect(pairs).toBeGreaterThan(20);
    // After the burst of 2, one request per 100 ms: the run cannot be faster than that.
    expect(Date.now() - started).toBeGreaterThanOrEqual(((pairs - 2) / 10) * 1000);
  });

  it("opens the circuit after five provider failures in a row and counts what it skipped", async () => {
    // A copy of the candidate release on a snapshot the fixture server answers with 503 only.
    const manifest = (await readFile("fixtures/releases/candidate-model-upgrade.yaml", "utf8"))
      .replace("gpt-4.1-2025-04-14", "down-2025-01-01")
      .replace('version: "1.5.0-rc.1"', 'version: "1.5.0-down"');
    const down = join(directory, "down.yaml");
    await writeFile(down, manifest);
    const { flags } = await freshServerStore();
    const callsBefore = models.hits.get("/v1/chat/completions") ?? 0;
    const { stderr } = await shadowdiff(
      executedArgs(flags, ["--sample", "100%", "--retries", "0"]).map((arg) =>
        arg === "16"
          ? "1"
          : arg === "release:fixtures/releases/candidate-model-upgrade.yaml"
            ? `release:${down}`
            : arg,
      ),
    );
    const match =
      /(\d+) pairs, (\d+) candidate errors, .* skipped \d+ \(budget\) \/ (\d+) \(circuit open\)/.exec(stderr);
    // One request at a time: five failures open the circuit (30 s), which outlasts the run.
    expect(match?.slice(1).map(Number), stderr).toEqual([5, 5, 595]);
    expect((models.hits.get("/v1/chat/completions") ?? 0) - callsBefore).toBe(5);
  });

  it("stops spending at the budget and reports how many requests it skipped", async () => {
    const { flags } = await freshServerStore();
    const { stderr } = await shadowdiff(
      executedArgs(flags, ["--max-spend", "0.02usd/h", "--concurrency", "1"]),
    );
    const match =
      /(\d+) pairs, \d+ candidate errors, \d+ unrecorded tool calls, skipped (\d+) \(budget\)/.exec(stderr);
    const pairs = Number(match?.[1]);
    const skipped = Number(match?.[2]);
    expect(skipped).toBeGreaterThan(0);
    expect(pairs + skipped).toBe(600);
  });

  it("keeps the API key out of logs, reports, dead letters and the store", async () => {
    const keyed = join(directory, "keyed.yaml");
    const source = await readFile("fixtures/releases/candidate-model-upgrade.yaml", "utf8");
    await writeFile(
      keyed,
      `${source}endpoint:\n  protocol: openai\n  api_key_env: SHADOWDIFF_TEST_PROVIDER_KEY\n`,
    );
    const { store, flags } = await freshServerStore();
    const args = executedArgs(flags, ["--sample", "20%"]);
    args[args.indexOf("release:fixtures/releases/candidate-model-upgrade.yaml")] = `release:${keyed}`;
    const { stdout, stderr } = await shadowdiff(args);
    // The key was really used: the provider (fixture) received it.
    expect(models.credentials.has(`Bearer ${SECRET}`)).toBe(true);
    expect(stdout).not.toContain(SECRET);
    expect(stderr).not.toContain(SECRET);
    const markdown = await shadowdiff([
      "report",
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--format",
      "markdown",
      ...flags,
    ]);
    expect(markdown.stdout).toContain("shadowdiff drift report");
    expect(markdown.stdout).not.toContain(SECRET);
    for (const table of ["pairs", "releases", "unpaired"]) {
      const rows = await store.query<Record<string, unknown>>(`SELECT * FROM ${store.database}.${table}`);
      if (table === "pairs") expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(SECRET);
    }
    await readFile(join(directory, "dead.jsonl"), "utf8").then(
      (text) => expect(text).not.toContain(SECRET),
      () => undefined,
    );
  });

  it("scrubs a key the provider echoes back and credentials in the base URL from every reason", async () => {
    const source = await readFile("fixtures/releases/candidate-model-upgrade.yaml", "utf8");
    const echoing = join(directory, "echoing.yaml");
    await writeFile(
      echoing,
      `${source.replace("gpt-4.1-2025-04-14", "reject-key-2025-01-01").replace('version: "1.5.0-rc.1"', 'version: "1.5.0-echo"')}endpoint:\n  protocol: openai\n  api_key_env: SHADOWDIFF_TEST_PROVIDER_KEY\n`,
    );
    const userinfo = "gateway-user:gw-pass-1c9e4d";
    const query = "qkey-77ab31f0";
    const base = new URL(models.url);
    const baseUrl = `${base.protocol}//${userinfo}@${base.host}/?key=${query}`;
    const { store, flags } = await freshServerStore();
    const args = executedArgs(flags, ["--sample", "10%", "--retries", "0"]);
    args[args.indexOf("release:fixtures/releases/candidate-model-upgrade.yaml")] = `release:${echoing}`;
    args[args.indexOf(models.url)] = baseUrl;
    const { stdout, stderr } = await shadowdiff(args);
    // The provider (fixture) really was reached, with the key, and answered quoting it.
    expect(models.credentials.has(`Bearer ${SECRET}`)).toBe(true);
    const rows = await store.query<{ reason: string }>(
      `SELECT reason FROM ${store.database}.pairs WHERE category = 'candidate_error'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]?.reason).toContain("HTTP 401 Incorrect API key provided");
    const report = await shadowdiff([
      "report",
      "--candidate",
      "support-agent@1.5.0-echo",
      "--format",
      "json",
      ...flags,
    ]);
    const everything = [stdout, stderr, report.stdout, report.stderr, JSON.stringify(rows)].join("\n");
    for (const secret of [SECRET, "gw-pass-1c9e4d", query]) {
      const at = everything.indexOf(secret);
      expect(at, everything.slice(Math.max(0, at - 300), at + 100)).toBe(-1);
    }
  });
});
