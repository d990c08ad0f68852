import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startScriptedModelServer } from "../../fixtures/model-server/server.js";
import { replay } from "../../src/api/replay.js";
import { openClickHouseStore } from "../../src/store/clickhouse-store.js";
import type { Store } from "../../src/store/store.js";
import { freshTopic, type RunningCli, readAll, sleep, startCli, testKafka } from "../support/kafka.js";
import { TcpProxy } from "../support/tcp-proxy.js";

/**
 * Fault tests of `shadowdiff consume` on a real Kafka broker and a real ClickHouse server. Each
 * replays the 600-request fixture capture and checks that the store ends with exactly 600 pairs
 * (FINAL: what every report reads), whatever was killed, cut or redelivered on the way.
 */
const BASELINE = "fixtures/captures/baseline.jsonl";
const CANDIDATE = "file:fixtures/captures/candidate-model-upgrade.jsonl";
const EXPECTED_PAIRS = 600;
const kafka = testKafka();
const stores: Store[] = [];

afterAll(async () => {
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
    database: `consume_${process.pid}_${Date.now().toString(36)}_${databases}`,
  });
  stores.push(store);
  return store;
}

/** `shadowdiff consume` of `topic` into `store`, with the recorded candidate unless told otherwise. */
function consumer(
  topic: string,
  store: Store,
  extra: readonly string[] = [],
  {
    candidate = CANDIDATE,
    storeUrl = inject("clickhouseUrl"),
  }: { candidate?: string; storeUrl?: string } = {},
): RunningCli {
  return startCli(
    [
      "consume",
      "--topic",
      topic,
      "--group",
      `group-${topic}`,
      "--from-beginning",
      "--candidate",
      candidate,
      "--store",
      `clickhouse:${storeUrl}`,
      "--database",
      store.database,
      ...extra,
    ],
    { SHADOWDIFF_KAFKA_BROKERS: inject("kafkaBrokers") },
  );
}

/** The last `joined group` line a consumer printed (assignments change at each rebalance). */
function lastJoin(stderr: string): string {
  return (
    stderr
      .split("\n")
      .filter((line) => line.includes("joined group"))
      .at(-1) ?? ""
  );
}

/** Waits for `condition`; on timeout the error carries what the consumers printed, to find out why. */
async function until(condition: () => boolean, timeoutMs: number, ...runs: RunningCli[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      const printed = runs
        .map((run, index) => `--- consumer ${index + 1} stderr:\n${run.stderr()}`)
        .join("\n");
      throw new Error(`condition not met within ${timeoutMs} ms\n${printed}`);
    }
    await sleep(100);
  }
}

async function untilAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function storedPairs(store: Store): Promise<number> {
  const rows = await store.query<{ n: string }>(
    `SELECT count() AS n FROM ${store.database}.pairs FINAL WHERE candidate_release != baseline_release`,
  );
  return Number(rows[0]?.n ?? 0);
}

function replayAt(topic: string, rate?: number, file = BASELINE) {
  return replay({
    kafka,
    topic,
    file,
    ...(rate === undefined ? {} : { rate }),
    signal: new AbortController().signal,
  });
}

describe("shadowdiff consume on a real broker", () => {
  it("stores every pair exactly once and sends poison records to the dead-letter topic with their reason", async () => {
    const topic = await freshTopic(kafka);
    const store = await freshDatabase();
    await replayAt(topic);
    await replayAt(topic, undefined, "fixtures/captures/bad-lines/candidate.jsonl");
    const run = consumer(topic, store, ["--idle-exit", "3", "--metrics-port", "0"]);
    // A free port, named by the consumer; the counters are read once they are complete, not
    // after a fixed sleep (a loaded machine took longer than 2 s).
    await until(() => /metrics on port \d+/.test(run.stderr()), 30_000, run);
    const port = /metrics on port (\d+)/.exec(run.stderr())?.[1];
    let metrics = "";
    await untilAsync(async () => {
      metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return (
        /^shadowdiff_pairs_total 606$/m.test(metrics) && /^shadowdiff_lag\{partition="0"\} 0$/m.test(metrics)
      );
    }, 30_000);
    expect(metrics).toMatch(/^shadowdiff_pairs_total 606$/m);
    expect(metrics).toMatch(/^shadowdiff_invalid_total 4$/m);
    expect(metrics).toMatch(/^shadowdiff_lag\{partition="0"\} 0$/m);
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(0);
    // The bad-lines capture adds 5 valid records (request ids 1, 2, 3, 5, 7) that pair again.
    expect(result.stderr).toContain("610 records: 606 pairs, 0 unpaired, 4 invalid");
    expect(await storedPairs(store)).toBe(EXPECTED_PAIRS);
    const dead = await readAll(kafka, `${topic}.dead-letter`, 4);
    expect(dead).toHaveLength(4);
    const reasons = dead.map((message) => message.headers["shadowdiff-error-reason"]);
    expect(reasons).toContainEqual(
      expect.stringMatching(/: \/response\/steps\/0\/arguments must be object$/),
    );
    expect(reasons).toContainEqual(expect.stringMatching(/: \/ must have required property 'id'$/));
    expect(dead.every((message) => message.headers["shadowdiff-source-topic"] === topic)).toBe(true);
  });

  it("classifies every pair as the diff oracle does, in diff threads and in the consumer's own thread", async () => {
    const oracle = (
      JSON.parse(await readFile("fixtures/captures/expected-categories.json", "utf8")) as Record<
        string,
        { strict: Record<string, string> }
      >
    )["candidate-model-upgrade.jsonl"]?.strict;
    for (const threads of ["2", "0"]) {
      const topic = await freshTopic(kafka);
      await replayAt(topic);
      const store = await freshDatabase();
      const result = await consumer(topic, store, ["--idle-exit", "3", "--diff-threads", threads]).exited;
      expect(result.code, result.stderr).toBe(0);
      const rows = await store.query<{ request_id: string; category: string; raw_length: string }>(
        `SELECT request_id, category, length(raw) AS raw_length FROM ${store.database}.pairs FINAL WHERE candidate_release != baseline_release ORDER BY request_id`,
      );
      expect(
        Object.fromEntries(rows.map((row) => [row.request_id, row.category])),
        `--diff-threads ${threads}`,
      ).toEqual(oracle);
      // Both records are kept for divergent pairs only.
      expect(rows.every((row) => (Number(row.raw_length) === 0) === (row.category === "identical"))).toBe(
        true,
      );
    }
  });

  it("loses nothing and counts nothing twice when the consumer is SIGKILLed mid-run and restarted", async () => {
    const topic = await freshTopic(kafka);
    const store = await freshDatabase();
    const first = consumer(topic, store);
    await until(() => /partitions \[\d/.test(lastJoin(first.stderr())), 30_000, first);
    // 3 s of replay; the kill comes once the first consumer has stored something, mid-run.
    const replaying = replayAt(topic, 200);
    let storedBeforeKill = 0;
    for (const deadline = Date.now() + 20_000; storedBeforeKill === 0; ) {
      if (Date.now() > deadline) throw new Error("the first consumer stored nothing within 20 s");
      await sleep(100);
      storedBeforeKill = await storedPairs(store);
    }
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    await replaying;
    expect(storedBeforeKill).toBeLessThan(EXPECTED_PAIRS);
    const second = consumer(topic, store, ["--idle-exit", "3"]);
    const result = await second.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(await storedPairs(store)).toBe(EXPECTED_PAIRS);
  });

  it("fails fast, naming it, when a topic it reads or its dead-letter topic does not exist", async () => {
    const store = await freshDatabase();
    const topic = await freshTopic(kafka);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [`${topic}.dead-letter`] });
    await admin.disconnect();
    const noDeadLetters = await consumer(topic, store, ["--idle-exit", "3"]).exited;
    expect(noDeadLetters.code, noDeadLetters.stderr).toBe(2);
    expect(noDeadLetters.stderr).toContain(
      `topic '${topic}.dead-letter' (dead letters, --dead-letter-topic) does not exist`,
    );
    const missing = await consumer(`${topic}-never-created`, store, ["--idle-exit", "3"]).exited;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`topic '${topic}-never-created' (--topic)`);
    expect(missing.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it("names the brokers when none answers, exit 4, no stack", async () => {
    const store = await freshDatabase();
    const started = Date.now();
    const run = startCli(
      [
        "consume",
        "--topic",
        "t",
        "--candidate",
        CANDIDATE,
        "--store",
        `clickhouse:${inject("clickhouseUrl")}`,
        "--database",
        store.database,
      ],
      { SHADOWDIFF_KAFKA_BROKERS: "127.0.0.1:1" },
    );
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain("cannot reach the Kafka brokers 127.0.0.1:1");
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("stops with exit 4, naming the store, on a store failure no retry fixes, and commits nothing", async () => {
    const topic = await freshTopic(kafka);
    const store = await freshDatabase();
    const run = consumer(topic, store, ["--idle-exit", "20"]);
    await until(() => /partitions \[\d/.test(lastJoin(run.stderr())), 30_000, run);
    // The table loses a column every insert names: the server rejects each insert the same way.
    await store.exec(`ALTER TABLE ${store.database}.pairs DROP COLUMN reason`);
    await replayAt(topic);
    const started = Date.now();
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain(store.database);
    expect(result.stderr).toMatch(/reason/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: `group-${topic}`, topics: [topic] });
    await admin.disconnect();
    // Nothing was stored, so nothing may be committed: a fixed store reads it all again.
    for (const partition of offsets[0]?.partitions ?? []) expect(partition.offset).toBe("-1");
  });

  it("exits 0 within 10 s of SIGTERM, and a restart continues where it stopped", async () => {
    const topic = await freshTopic(kafka);
    const store = await freshDatabase();
    const first = consumer(topic, store);
    await until(() => /partitions \[\d/.test(lastJoin(first.stderr())), 30_000, first);
    await replayAt(topic, 600);
    await sleep(300);
    const stoppedAt = Date.now();
    first.child.kill("SIGTERM");
    const stopped = await first.exited;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    const consumedFirst = Number(/stopped after (\d+) records/.exec(stopped.stderr)?.[1]);
    const second = consumer(topic, store, ["--idle-exit", "3"]);
    const result = await second.exited;
    expect(result.code, result.stderr).toBe(0);
    const consumedSecond = Number(/stopped after (\d+) records/.exec(result.stderr)?.[1]);
    expect(consumedFirst).toBeGreaterThan(0);
    // Committed offsets carry over: together the two runs read each record once.
    expect(consumedFirst + consumedSecond).toBe(EXPECTED_PAIRS);
    expect(await storedPairs(store)).toBe(EXPECTED_PAIRS);
  });

  it("splits partitions between two consumers of one group and still totals exactly", async () => {
    const topic = await freshTopic(kafka);
    const store = await freshDatabase();
    const one = consumer(topic, store, ["--idle-exit", "6"]);
    const two = consumer(topic, store, ["--idle-exit", "6"]);
    // Records must not arrive before both members hold partitions, or the first one to join
    // rightly takes them all: wait until each reports a non-empty assignment.
    await until(
      () => [one, two].every((run) => /partitions \[\d/.test(lastJoin(run.stderr()))),
      30_000,
      one,
      two,
    );
    await replayAt(topic, 300);
    const [first, second] = await Promise.all([one.exited, two.exited]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const counts = [first, second].map((run) => Number(/stopped after (\d+) records/.exec(run.stderr)?.[1]));
    expect(
      counts.every((count) => count > 0),
      counts.join(", "),
    ).toBe(true);
    expect(await storedPairs(store)).toBe(EXPECTED_PAIRS);
  });

  it("rides out a broker stop and restart mid-run", async () => {
    const topic = await freshTopic(kafka);
    const store = await freshDatabase();
    const run = consumer(topic, store, ["--idle-exit", "10"]);
    await until(() => /partitions \[\d/.test(lastJoin(run.stderr())), 30_000, run);

    // Records keep coming while the broker goes away: the producer retries, the consumer rejoins.
    const replaying = replayAt(topic, 150);
    await sleep(1_500);
    execFileSync("bash", ["scripts/services.sh", "stop", "kafka"], { stdio: "ignore" });
    await sleep(1_000);
    execFileSync("bash", ["scripts/services.sh", "start", "kafka", "--keep-data"], { stdio: "ignore" });
    const replayed = await replaying;
    expect(replayed.sent).toBe(EXPECTED_PAIRS);
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(await storedPairs(store)).toBe(EXPECTED_PAIRS);
  });

  it("pauses while the store is unreachable, commits nothing, resumes and loses nothing", async () => {
    const topic = await freshTopic(kafka);
    const store = await freshDatabase();
    const target = new URL(inject("clickhouseUrl"));
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.open();
    const run = consumer(topic, store, ["--idle-exit", "8"], { storeUrl: `http://127.0.0.1:${proxy.port}` });
    await until(() => /partitions \[\d/.test(lastJoin(run.stderr())), 30_000, run);

    const replaying = replayAt(topic, 300);
    await sleep(600);
    await proxy.cut();
    await sleep(3_000);
    await proxy.open();
    await replaying;
    const result = await run.exited;
    await proxy.cut();
    expect(result.code, result.stderr).toBe(0);
    expect(Number(/(\d+) store retries/.exec(result.stderr)?.[1])).toBeGreaterThan(0);
    expect(await storedPairs(store)).toBe(EXPECTED_PAIRS);
  });
});

describe("shadowdiff consume in pair-join mode", () => {
  it("joins baseline and candidate topics by key and counts records whose partner never came", async () => {
    const baselineTopic = await freshTopic(kafka);
    const candidateTopic = await freshTopic(kafka);
    const store = await freshDatabase();
    // The candidate results lack every 60th request: 10 baseline records must end unpaired.
    const lines = (await readFile("fixtures/captures/candidate-model-upgrade.jsonl", "utf8"))
      .split("\n")
      .filter(Boolean);
    const kept = lines.filter((_, index) => index % 60 !== 59);
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-join-"));
    await writeFile(join(directory, "candidate.jsonl"), `${kept.join("\n")}\n`);
    await replayAt(baselineTopic);
    await replayAt(candidateTopic, undefined, join(directory, "candidate.jsonl"));
    const run = consumer(baselineTopic, store, ["--join-window", "2", "--idle-exit", "2"], {
      candidate: `topic:${candidateTopic}`,
    });
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(await storedPairs(store)).toBe(EXPECTED_PAIRS - 10);
    const unpaired = await store.query<{ side: string; n: string }>(
      `SELECT side, count() AS n FROM ${store.database}.unpaired FINAL GROUP BY side`,
    );
    expect(unpaired.map((row) => [row.side, Number(row.n)])).toEqual([["baseline", 10]]);
  });
});

describe("shadowdiff consume with an executed candidate", () => {
  it("runs each consumed record through the candidate release (scripted model server FIXTURE) and stores the pairs", async () => {
    const models = await startScriptedModelServer();
    try {
      const topic = await freshTopic(kafka);
      const store = await freshDatabase();
      await replayAt(topic);
      const run = consumer(
        topic,
        store,
        [
          "--release",
          "fixtures/releases/baseline.yaml",
          "--model-base-url",
          models.url,
          "--rate-limit",
          "500",
          "--concurrency",
          "16",
          "--sample",
          "50%",
          "--idle-exit",
          "3",
        ],
        { candidate: "release:fixtures/releases/candidate-model-upgrade.yaml" },
      );
      const result = await run.exited;
      expect(result.code, result.stderr).toBe(0);
      const pairs = await storedPairs(store);
      expect(pairs).toBeGreaterThan(200);
      expect(pairs).toBeLessThan(400);
      const releases = await store.query<{ name: string; release_version: string }>(
        `SELECT name, release_version FROM ${store.database}.releases FINAL ORDER BY release_version`,
      );
      expect(releases.map((row) => `${row.name}@${row.release_version}`)).toEqual([
        "support-agent@1.4.0",
        "support-agent@1.5.0-rc.1",
      ]);
    } finally {
      await models.close();
    }
  });
});

describe("shadowdiff replay", () => {
  it("produces a capture keyed by session, honouring --limit, so a session stays on one partition", async () => {
    const topic = await freshTopic(kafka);
    const run = startCli(
      ["replay", "--file", BASELINE, "--topic", topic, "--limit", "120", "--rate", "2000/s"],
      {
        SHADOWDIFF_KAFKA_BROKERS: inject("kafkaBrokers"),
      },
    );
    const result = await run.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/replayed 120 records from .* to t-/);
    const messages = await readAllWithPartition(topic, 120);
    expect(messages).toHaveLength(120);
    const partitionsBySession = new Map<string, Set<number>>();
    for (const message of messages) {
      const session = (JSON.parse(message.value) as { session: string }).session;
      expect(message.key).toBe(session);
      const partitions = partitionsBySession.get(session) ?? new Set<number>();
      partitions.add(message.partition);
      partitionsBySession.set(session, partitions);
    }
    expect([...partitionsBySession.values()].every((partitions) => partitions.size === 1)).toBe(true);
    expect(partitionsBySession.size).toBeGreaterThan(1);
  });
});

async function readAllWithPartition(
  topic: string,
  expected: number,
): Promise<{ key: string; value: string; partition: number }[]> {
  const reader = kafka.consumer({ groupId: `reader-${topic}` });
  const messages: { key: string; value: string; partition: number }[] = [];
  await reader.connect();
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 20_000);
    void reader.run({
      eachMessage: async ({ message, partition }) => {
        messages.push({
          key: message.key?.toString() ?? "",
          value: message.value?.toString() ?? "",
          partition,
        });
        if (messages.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await reader.disconnect();
  return messages;
}
