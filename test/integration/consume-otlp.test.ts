import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ScriptedServer, startScriptedModelServer } from "../../fixtures/model-server/server.js";
import { openClickHouseStore } from "../../src/store/clickhouse-store.js";
import type { Store } from "../../src/store/store.js";
import { freshTopic, type RunningCli, readAll, sleep, startCli, testKafka } from "../support/kafka.js";
import { BASELINE, CANDIDATE, type OtlpMessage, otlpTraffic, recordsOf } from "../support/otlp-traffic.js";

/**
 * `consume --format otlp` on a real broker and ClickHouse server: both releases' agents traced by
 * the real SDK and instrumentation, their spans split over messages and partitions on one topic,
 * must give exactly the pairs and categories that `run` gives for the same exchange records.
 */
const PARTITIONS = 4;
const ROUNDS = 5;
const kafka = testKafka();
const stores: Store[] = [];
let models: ScriptedServer;
let traffic: Awaited<ReturnType<typeof otlpTraffic>>;
/** request id → category, as `run` stores the same records: the oracle. */
let expected: Record<string, string>;

beforeAll(async () => {
  models = await startScriptedModelServer();
  traffic = await otlpTraffic(models.url, ROUNDS, PARTITIONS);
  const records = recordsOf(traffic.messages);
  const directory = await mkdtemp(join(tmpdir(), "shadowdiff-otlp-"));
  const file = (name: string, version: string) =>
    writeFile(
      join(directory, name),
      records
        .filter((record) => record.release.version === version)
        .map((record) => `${JSON.stringify(record)}\n`)
        .join(""),
    );
  await file("baseline.jsonl", BASELINE.version);
  await file("candidate.jsonl", CANDIDATE.version);
  const store = await freshDatabase();
  const run = startCli(
    [
      "run",
      "--source",
      `file:${join(directory, "baseline.jsonl")}`,
      "--candidate",
      `file:${join(directory, "candidate.jsonl")}`,
      ...storeFlags(store),
    ],
    {},
  );
  const result = await run.exited;
  if (result.code !== 0) throw new Error(`run failed: ${result.stderr}`);
  expected = await categories(store);
}, 120_000);

afterAll(async () => {
  await models?.close();
  for (const store of stores) {
    await store.exec(`DROP DATABASE IF EXISTS ${store.database}`).catch(() => {});
    await store.close();
  }
});

let databases = 0;
async function freshDatabase(): Promise<Store> {
  databases++;
  const store = await openClickHouseStore({
    url: inject("clickhouseUrl"),
    database: `otlp_${process.pid}_${Date.now().toString(36)}_${databases}`,
  });
  stores.push(store);
  return store;
}

function storeFlags(store: Store): string[] {
  return ["--store", `clickhouse:${inject("clickhouseUrl")}`, "--database", store.database];
}

function consumer(topic: string, store: Store, extra: readonly string[] = []): RunningCli {
  return startCli(
    [
      "consume",
      "--format",
      "otlp",
      "--topic",
      topic,
      "--group",
      `group-${topic}`,
      "--from-beginning",
      "--baseline-release",
      `support-agent@${BASELINE.version}`,
      "--trace-grace",
      "1",
      "--trace-idle",
      "2",
      "--join-window",
      "4",
      ...storeFlags(store),
      ...extra,
    ],
    { SHADOWDIFF_KAFKA_BROKERS: inject("kafkaBrokers") },
  );
}

async function produce(topic: string, messages: readonly OtlpMessage[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (const message of messages)
      await producer.send({ topic, messages: [{ partition: message.partition, value: message.value }] });
  } finally {
    await producer.disconnect();
  }
}

/** request id → category of every stored pair (FINAL: what every report reads). */
async function categories(store: Store): Promise<Record<string, string>> {
  const rows = await store.query<{ request_id: string; category: string }>(
    `SELECT request_id, category FROM ${store.database}.pairs FINAL ORDER BY request_id`,
  );
  return Object.fromEntries(rows.map((row) => [row.request_id, row.category]));
}

/** Pairs stored per request id, before FINAL collapses them: a duplicate would show as 2. */
async function storedCount(store: Store): Promise<number> {
  const rows = await store.query<{ n: string }>(`SELECT count() AS n FROM ${store.database}.pairs FINAL`);
  return Number(rows[0]?.n ?? 0);
}

describe("shadowdiff consume --format otlp", () => {
  it("stores exactly the pairs and categories that run gives for the same records", async () => {
    expect(Object.keys(expected)).toHaveLength(ROUNDS * 4);
    // The candidate's model behaves otherwise on some scenarios: not every pair is identical.
    expect(new Set(Object.values(expected)).size).toBeGreaterThan(1);
    const topic = await freshTopic(kafka, PARTITIONS);
    await produce(topic, traffic.messages);
    const store = await freshDatabase();
    const result = await consumer(topic, store, ["--idle-exit", "2"]).exited;
    expect(result.code, result.stderr).toBe(0);
    expect(await categories(store)).toEqual(expected);
    const unpaired = await store.query<{ n: string }>(`SELECT count() AS n FROM ${store.database}.unpaired`);
    expect(Number(unpaired[0]?.n)).toBe(0);
  });

  it("loses and duplicates nothing when SIGKILLed while traces are assembling, and restarted", async () => {
    const topic = await freshTopic(kafka, PARTITIONS);
    const store = await freshDatabase();
    const first = consumer(topic, store);
    // Joined (so the store is migrated) before the traffic starts.
    for (const deadline = Date.now() + 30_000; !/partitions \[\d/.test(first.stderr()); ) {
      if (Date.now() > deadline) throw new Error(`the consumer did not join within 30 s\n${first.stderr()}`);
      await sleep(100);
    }
    // The first part ends with traces begun and not finished (their root spans come later).
    let cut = Math.floor(traffic.messages.length * 0.6);
    while (traffic.messages[cut - 1]?.root !== false) cut++;
    await produce(topic, traffic.messages.slice(0, cut));
    for (const deadline = Date.now() + 30_000; (await storedCount(store)) === 0; ) {
      if (Date.now() > deadline) throw new Error(`nothing stored within 30 s\n${first.stderr()}`);
      await sleep(100);
    }
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const storedBeforeKill = await storedCount(store);
    expect(storedBeforeKill).toBeLessThan(ROUNDS * 4);
    await produce(topic, traffic.messages.slice(cut));
    const second = consumer(topic, store, ["--idle-exit", "2"]);
    const result = await second.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(await categories(store)).toEqual(expected);
    // Rows per key before FINAL: a partial trace re-read after the kill would have left a second,
    // different row; a whole one rebuilt gives the same row again (replaced by key).
    const perKey = await store.query<{ request_id: string; rows: string; variants: string }>(
      `SELECT request_id, count() AS rows, uniqExact(category, paths, baseline_steps, candidate_steps) AS variants FROM ${store.database}.pairs GROUP BY request_id HAVING variants > 1`,
    );
    expect(perKey).toEqual([]);
    // Nothing rebuilt in part (a trace without its root, a record without its partner).
    expect(result.stderr).toMatch(/pairs, 0 unpaired, 0 invalid,/);
  });

  it("sends malformed OTLP to the dead-letter topic with a located reason and goes on", async () => {
    const topic = await freshTopic(kafka, PARTITIONS);
    const store = await freshDatabase();
    const sample = traffic.messages[0] as OtlpMessage;
    await produce(topic, [
      { partition: 2, value: sample.value.subarray(0, sample.value.length - 5), root: false },
      {
        partition: 2,
        value: Buffer.from('{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x"}]}]}]}'),
        root: false,
      },
      ...traffic.messages,
    ]);
    const result = await consumer(topic, store, ["--idle-exit", "2"]).exited;
    expect(result.code, result.stderr).toBe(0);
    expect(await categories(store)).toEqual(expected);
    const letters = await readAll(kafka, `${topic}.dead-letter`, 2);
    expect(letters.map((letter) => letter.headers["shadowdiff-error-code"])).toEqual([
      "INVALID_OTLP",
      "INVALID_OTLP",
    ]);
    expect(letters[0]?.headers["shadowdiff-error-reason"]).toMatch(new RegExp(`^kafka:${topic}/2:0: `));
    expect(letters[1]?.headers["shadowdiff-error-reason"]).toMatch(
      new RegExp(`^kafka:${topic}/2:1: span has no traceId`),
    );
  });
});
