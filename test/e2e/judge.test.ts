import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedModelServer } from "../../fixtures/model-server/server.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import {
  CHAT,
  candidate,
  judge,
  judgeArgs,
  judgeManifest,
  SECRET,
  shadowdiff,
  world,
} from "./judge-world.js";

/**
 * `shadowdiff judge` through the built CLI on chDB, against the scripted model server (a FIXTURE,
 * scripted as a judge: it prefers answers holding `[[judge:better]]`, disprefers `[[judge:worse]]`,
 * answers non-JSON on `[[judge:garble]]` always and on `[[judge:garble-once]]` until repaired).
 * Every candidate answer is reworded and carries its version and request id, so no two pairs share
 * texts (equal texts would share one cached verdict, across candidates too) and
 * the model-call counts below are exact (the cache only serves re-runs).
 */
beforeAll(async () => {
  world.models = await startScriptedModelServer();
  world.directory = await mkdtemp(join(tmpdir(), "shadowdiff-judge-"));
  world.store = `chdb:${join(world.directory, "store")}`;
  await copyFile("fixtures/judges/prompt.md", join(world.directory, "prompt.md"));
  const text = await readFile("fixtures/captures/baseline.jsonl", "utf8");
  for (const line of text.split("\n").filter(Boolean))
    world.baselines.push(JSON.parse(line) as ExchangeRecord);
  // 30% preferred, 10% dispreferred; its mirror image; and malformed answers on some pairs.
  const preferred = await candidate("2.0.0-preferred", (i) =>
    i % 10 < 3 ? " [[judge:better]]" : i % 10 === 3 ? " [[judge:worse]]" : "",
  );
  const dispreferred = await candidate("2.0.0-dispreferred", (i) =>
    i % 10 < 3 ? " [[judge:worse]]" : i % 10 === 3 ? " [[judge:better]]" : "",
  );
  const garbled = await candidate("2.0.0-garbled", (i) =>
    i % 10 === 0 ? " [[judge:garble]]" : i % 10 === 1 ? " [[judge:garble-once]]" : "",
  );
  const budgeted = await candidate("2.0.0-budgeted", () => "");
  const args = [
    "run",
    "--source",
    "file:fixtures/captures/baseline.jsonl",
    "--noise",
    "file:fixtures/captures/aa.jsonl",
  ];
  for (const path of [preferred, dispreferred, garbled, budgeted]) args.push("--candidate", `file:${path}`);
  const run = await shadowdiff([
    ...args,
    "--format",
    "none",
    "--dead-letter",
    join(world.directory, "dead.jsonl"),
  ]);
  expect(run.code, run.stderr).toBe(0);
});

afterAll(async () => {
  await world.models.close();
});

const N = 600;

describe("shadowdiff judge", () => {
  it("gives exactly the scripted win / loss counts, and a second run adds nothing and calls the model zero times", async () => {
    const first = await judge("support-agent@2.0.0-preferred", "fixtures/judges/judge.yaml");
    expect(first.summary).toMatchObject({
      considered: N,
      judged: N,
      cached: 0,
      better: 180,
      worse: 60,
      same: 360,
    });
    expect(first.summary).toMatchObject({ inconsistent: 0, unparseable: 0, failed: 0 });
    // Both orders asked for every pair.
    expect(first.calls).toBe(2 * N);
    const second = await judge("support-agent@2.0.0-preferred", "fixtures/judges/judge.yaml");
    expect(second.summary).toMatchObject({ considered: 0, judged: 0, modelCalls: 0 });
    expect(second.calls).toBe(0);
  });

  it("makes a judge that always prefers the first position decide nothing: every pair inconsistent", async () => {
    // On a candidate of its own: a report reads the judge that judged its candidate last.
    const biased = await judgeManifest("first", "judge-first-2025-01-01");
    const { summary, calls } = await judge("support-agent@2.0.0-budgeted", biased);
    expect(summary).toMatchObject({
      judged: N,
      better: 0,
      worse: 0,
      same: N,
      inconsistent: N,
      unparseable: 0,
    });
    expect(calls).toBe(2 * N);
  });

  it("counts malformed answers as unparseable after exactly one repair retry", async () => {
    const { summary, calls } = await judge("support-agent@2.0.0-garbled", "fixtures/judges/judge.yaml");
    // 60 always-malformed pairs: the first order and its repair, then no second order.
    expect(summary).toMatchObject({ judged: N, unparseable: 60, inconsistent: 0, better: 0, worse: 0 });
    // 60 malformed-once pairs: each order needs its repair, and then decides.
    expect(calls, JSON.stringify(summary)).toBe(60 * 2 + 60 * 4 + (N - 120) * 2);
  });

  it("stops spending at the budget and reports how many pairs it skipped", async () => {
    const pricing = join(world.directory, "pricing.yaml");
    const prices = await readFile("config/pricing.yaml", "utf8");
    await writeFile(pricing, `${prices}  openai/judge-markers-2025-01-01: { input: 1000, output: 1000 }\n`);
    const { summary, stderr } = await judge("support-agent@2.0.0-budgeted", "fixtures/judges/judge.yaml", [
      "--pricing",
      pricing,
      "--max-spend",
      "5usd/h",
      "--concurrency",
      "1",
    ]);
    expect(summary.skippedBudget).toBeGreaterThan(0);
    expect(summary.judged + summary.skippedBudget).toBe(N);
    // One pair in flight: the budget is passed by at most one pair's cost (~0.7 usd here).
    expect(summary.spentUsd).toBeGreaterThanOrEqual(5);
    expect(summary.spentUsd).toBeLessThan(6);
    expect(stderr).toMatch(new RegExp(`skipped ${summary.skippedBudget} \\(budget\\)`));
    // The skipped pairs stay unjudged: a later run (no budget) judges exactly them.
    const rest = await judge("support-agent@2.0.0-budgeted", "fixtures/judges/judge.yaml");
    expect(rest.summary.considered).toBe(summary.skippedBudget);
  });
});

describe("shadowdiff run --judge", () => {
  it("judges the pairs as they are written; run again, the cache answers with zero model calls", async () => {
    const inline = await candidate("2.0.0-inline", (i) => (i % 10 < 3 ? " [[judge:better]]" : ""));
    const args = [
      "run",
      "--source",
      "file:fixtures/captures/baseline.jsonl",
      "--candidate",
      `file:${inline}`,
      "--judge",
      "fixtures/judges/judge.yaml",
      "--model-base-url",
      world.models.url,
      "--rate-limit",
      "5000",
      "--format",
      "none",
      "--dead-letter",
      join(world.directory, "dead.jsonl"),
    ];
    const before = world.models.hits.get(CHAT) ?? 0;
    const first = await shadowdiff(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`judged ${N} (0 cached)`);
    expect(first.stderr).toContain("better 180 / same 420 / worse 0");
    expect((world.models.hits.get(CHAT) ?? 0) - before).toBe(2 * N);
    const again = await shadowdiff(args);
    expect(again.stderr).toContain(`judged ${N} (${N} cached)`);
    expect((world.models.hits.get(CHAT) ?? 0) - before).toBe(2 * N);
  });
});

describe("the judge in report and gate", () => {
  it("reports overall.scores.judge with its counts, net preference and the judge's A/A noise", async () => {
    const aa = await judge("support-agent@1.4.0", "fixtures/judges/judge.yaml");
    expect(aa.summary.judged).toBeGreaterThan(0);
    const { stdout } = await shadowdiff([
      "report",
      "--candidate",
      "support-agent@2.0.0-preferred",
      "--format",
      "json",
    ]);
    const score = (JSON.parse(stdout) as { overall: { scores: Record<string, Record<string, unknown>> } })
      .overall.scores.judge as {
      source: string;
      judge: {
        better: number;
        worse: number;
        judged: number;
        net_preference: { value: number; low: number };
      };
    } & { judge: { aa: { judged: number; better: number; worse: number } | null } };
    expect(score.source).toBe("judge");
    expect(score.judge).toMatchObject({ better: 180, worse: 60, judged: N });
    expect(score.judge.net_preference.value).toBeCloseTo(0.2, 10);
    expect(score.judge.net_preference.low).toBeGreaterThan(0.1);
    // The A/A answers carry no markers: the judge prefers neither baseline answer.
    expect(score.judge.aa).toMatchObject({ judged: aa.summary.judged, better: 0, worse: 0 });
  });

  it("fails the dispreferred candidate and promotes its mirror image on score_delta: {judge: {min: -0.02}}", async () => {
    await judge("support-agent@2.0.0-dispreferred", "fixtures/judges/judge.yaml");
    const policy = join(world.directory, "policy.yaml");
    await writeFile(
      policy,
      "version: 1\nmin_pairs: 100\nguardrails:\n  score_delta: { judge: { min: -0.02 } }\n",
    );
    const failed = await shadowdiff([
      "gate",
      "--candidate",
      "support-agent@2.0.0-dispreferred",
      "--policy",
      policy,
    ]);
    expect(failed.code, failed.stderr).toBe(1);
    const verdict = JSON.parse(failed.stdout) as {
      guardrails: { guardrail: string; target: string; status: string }[];
    };
    expect(verdict.guardrails.find((g) => g.target === "judge")?.status).toBe("fail");
    const promoted = await shadowdiff([
      "gate",
      "--candidate",
      "support-agent@2.0.0-preferred",
      "--policy",
      policy,
    ]);
    expect(promoted.code, promoted.stderr).toBe(0);
  });
});

describe("the judge's API key", () => {
  it("is sent to the provider and appears in no log, report or stored judgement", async () => {
    // Another config is another judge release: every pair is judged again, with the key.
    const keyed = await judgeManifest(
      "keyed",
      "judge-markers-2025-01-01",
      "  api_key_env: SHADOWDIFF_TEST_JUDGE_KEY\n",
    );
    const text = (await readFile(keyed, "utf8")).replace("max_tokens: 200", "max_tokens: 201");
    await writeFile(keyed, text);
    const judged = await shadowdiff(judgeArgs("support-agent@2.0.0-garbled", keyed));
    expect(judged.code, judged.stderr).toBe(0);
    expect(world.models.credentials.has(`Bearer ${SECRET}`)).toBe(true);
    // A judge model that answers 401 quoting the key: the failure is told, scrubbed.
    const echoing = await judgeManifest(
      "echoing",
      "reject-key-2025-01-01",
      "  api_key_env: SHADOWDIFF_TEST_JUDGE_KEY\n",
    );
    const rejected = await shadowdiff(judgeArgs("support-agent@2.0.0-garbled", echoing, ["--retries", "0"]));
    expect(rejected.code).toBe(4);
    expect(rejected.stderr).toContain("HTTP 401 Incorrect API key provided");
    const reports = await Promise.all(
      ["json", "markdown"].map((format) =>
        shadowdiff(["report", "--candidate", "support-agent@2.0.0-garbled", "--format", format]),
      ),
    );
    const { openChdbStore } = await import("../../src/store/chdb-store.js");
    const opened = await openChdbStore(world.store.slice("chdb:".length), "shadowdiff", "read");
    const rows = await opened.query<Record<string, unknown>>("SELECT * FROM shadowdiff.judgements");
    await opened.close();
    expect(rows.length).toBeGreaterThan(N);
    const everything = [judged, rejected, ...reports]
      .flatMap((result) => [result.stdout, result.stderr])
      .concat(JSON.stringify(rows))
      .join("\n");
    expect(everything.indexOf(SECRET)).toBe(-1);
  });
});
