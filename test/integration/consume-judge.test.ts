import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ScriptedServer, startScriptedModelServer } from "../../fixtures/model-server/server.js";
import { replay } from "../../src/api/replay.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import { openClickHouseStore } from "../../src/store/clickhouse-store.js";
import type { Store } from "../../src/store/store.js";
import { freshTopic, startCli, testKafka } from "../support/kafka.js";

/**
 * `shadowdiff consume --judge` on a real broker and a real ClickHouse server, against the scripted
 * model server (a FIXTURE, scripted as a judge: it prefers answers holding `[[judge:better]]` and
 * disprefers `[[judge:worse]]`). The candidate is the model-upgrade capture, whose categories the
 * diff oracle (expected-categories.json) knows; of its text_only and outcome_mismatch pairs (the
 * judge's categories) 30% carry the preferred marker and 10% the dispreferred one. Each judged
 * answer also names its request id, so no two pairs share a cache key and the call counts are exact.
 */
const BASELINE = "fixtures/captures/baseline.jsonl";
const JUDGE = "fixtures/judges/judge.yaml";
const CHAT = "/v1/chat/completions";
const JUDGED = new Set(["text_only", "outcome_mismatch"]);
const kafka = testKafka();
let models: ScriptedServer;
let store: Store;
let candidatePath = "";
/** What the script answers, per judged request id, written independently of the judge's code. */
const scripted = new Map<string, "better" | "worse" | "same">();

beforeAll(async () => {
  models = await startScriptedModelServer();
  store = await openClickHouseStore({
    url: inject("clickhouseUrl"),
    database: `consume_judge_${process.pid}_${Date.now().toString(36)}`,
  });
  const oracle = (
    JSON.parse(await readFile("fixtures/captures/expected-categories.json", "utf8")) as Record<
      string,
      { strict: Record<string, string> }
    >
  )["candidate-model-upgrade.jsonl"]?.strict as Record<string, string>;
  const lines = (await readFile("fixtures/captures/candidate-model-upgrade.jsonl", "utf8"))
    .split("\n")
    .filter(Boolean);
  let judged = 0;
  const marked = lines.map((line) => {
    const record = JSON.parse(line) as ExchangeRecord;
    if (!JUDGED.has(oracle[record.id] ?? "")) return line;
    const verdict = judged % 10 < 3 ? "better" : judged % 10 === 3 ? "worse" : "same";
    judged++;
    scripted.set(record.id, verdict);
    const marker = verdict === "same" ? "" : ` [[judge:${verdict}]]`;
    const output = `${record.response.output ?? ""} (${record.id})${marker}`;
    return JSON.stringify({ ...record, response: { ...record.response, output } });
  });
  const directory = await mkdtemp(join(tmpdir(), "shadowdiff-consume-judge-"));
  candidatePath = join(directory, "candidate.jsonl");
  await writeFile(candidatePath, `${marked.join("\n")}\n`);
});

afterAll(async () => {
  await models?.close();
  await store?.exec(`DROP DATABASE IF EXISTS ${store.database}`).catch(() => {});
  await store?.close();
});

function consumeJudging(topic: string, group: string, diffThreads: string) {
  return startCli(
    [
      "consume",
      "--topic",
      topic,
      "--group",
      group,
      "--from-beginning",
      "--candidate",
      `file:${candidatePath}`,
      "--diff-threads",
      diffThreads,
      "--judge",
      JUDGE,
      "--model-base-url",
      models.url,
      "--rate-limit",
      "5000",
      "--store",
      `clickhouse:${inject("clickhouseUrl")}`,
      "--database",
      store.database,
      "--idle-exit",
      "3",
    ],
    { SHADOWDIFF_KAFKA_BROKERS: inject("kafkaBrokers") },
  ).exited;
}

describe("shadowdiff consume --judge on a real broker", () => {
  it("judges exactly the judged categories' pairs with the scripted counts; a new group is answered from the cache", async () => {
    const topic = await freshTopic(kafka);
    await replay({ kafka, topic, file: BASELINE, signal: new AbortController().signal });
    const expected = { better: 0, worse: 0, same: 0 };
    for (const verdict of scripted.values()) expected[verdict]++;
    const judged = scripted.size;
    // The generator's own count of the judged categories (expected-summary.json).
    const summary = JSON.parse(await readFile("fixtures/captures/expected-summary.json", "utf8")) as Record<
      string,
      { strict: Record<string, number> }
    >;
    const counts = summary["candidate-model-upgrade.jsonl"]?.strict ?? {};
    expect(judged).toBe((counts.text_only ?? 0) + (counts.outcome_mismatch ?? 0));
    expect(judged).toBeGreaterThan(100);

    const before = models.hits.get(CHAT) ?? 0;
    // Diff threads: the pairs reach the judge as encoded rows from the workers.
    const first = await consumeJudging(topic, `judge-first-${topic}`, "2");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`judged ${judged} (0 cached)`);
    expect(first.stderr).toContain(
      `better ${expected.better} / same ${expected.same} / worse ${expected.worse}; inconsistent 0, unparseable 0`,
    );
    // Both orders asked for every judged pair, once.
    expect((models.hits.get(CHAT) ?? 0) - before).toBe(2 * judged);

    const pairs = await store.query<{ request_id: string; category: string }>(
      `SELECT request_id, category FROM ${store.database}.pairs FINAL WHERE candidate_release != baseline_release`,
    );
    expect(pairs).toHaveLength(600);
    const judgedPairs = pairs.filter((pair) => JUDGED.has(pair.category)).map((pair) => pair.request_id);
    expect(judgedPairs.sort()).toEqual([...scripted.keys()].sort());
    const judgements = await store.query<{ request_id: string; verdict: string }>(
      `SELECT request_id, verdict FROM ${store.database}.judgements FINAL ORDER BY request_id`,
    );
    expect(judgements.map((row) => row.request_id)).toEqual([...scripted.keys()].sort());
    expect(Object.fromEntries(judgements.map((row) => [row.request_id, row.verdict]))).toEqual(
      Object.fromEntries(scripted),
    );

    // A new group reads the topic again (in the consumer's own thread this time): every verdict
    // comes from the cache, the model is not called, and no judgement is added.
    const again = await consumeJudging(topic, `judge-again-${topic}`, "0");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`judged ${judged} (${judged} cached)`);
    expect(again.stderr).toContain("0 model calls");
    expect((models.hits.get(CHAT) ?? 0) - before).toBe(2 * judged);
    const count = await store.query<{ n: string }>(
      `SELECT count() AS n FROM ${store.database}.judgements FINAL`,
    );
    expect(Number(count[0]?.n)).toBe(judged);
  });
});
