import { mkdtemp, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import type OpenAIType from "openai";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type ScriptedServer, startScriptedModelServer } from "../../fixtures/model-server/server.js";
import type { DeadLetter } from "../../src/contracts/dead-letter.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import { parseExchangeLine } from "../../src/contracts/validate-record.js";
import { freshTopic, type RunningCli, sleep, startCli, testKafka } from "../support/kafka.js";
import { type AgentLog, type AgentScenario, RELEASE, runAgent, SCENARIOS } from "../support/otel-agent.js";
import { expectRecordMatchesLog, expectScenariosCovered } from "../support/otel-expect.js";

/**
 * `shadowdiff collect --topic` against the real broker: the official OTLP/protobuf trace exporter
 * of the OTel SDK (OpenInference spans of the official openai client, one span per request)
 * → the built CLI → exchange records on the topic, read back with kafkajs and checked against
 * the agent loop's own log and the exchange contract (the validation the store path does).
 */
const OpenAI = createRequire(import.meta.url)("openai") as typeof OpenAIType;
const kafka = testKafka();
const brokers = inject("kafkaBrokers");
let models: ScriptedServer;
let directory: string;

beforeAll(async () => {
  models = await startScriptedModelServer();
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-collect-kafka-"));
});

afterAll(async () => {
  await models.close();
});

function collect(topic: string, deadLetters: string, grace = "600"): RunningCli {
  return startCli([
    "collect",
    "--port",
    "0",
    "--grace",
    grace,
    "--topic",
    topic,
    "--brokers",
    brokers,
    "--dead-letter",
    deadLetters,
  ]);
}

async function listening(cli: RunningCli): Promise<string> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stderr())?.[1];
    if (url !== undefined) return url;
    if (cli.child.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`collect did not start listening: ${cli.stderr()}`);
}

/** The agent's scenarios traced by OpenInference and exported span by span as OTLP/protobuf. */
async function traceAgent(url: string, scenarios: readonly AgentScenario[]): Promise<AgentLog[]> {
  const tracerProvider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": RELEASE.name, "service.version": RELEASE.version }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces` }))],
  });
  tracerProvider.register();
  const instrumentation = new OpenAIInstrumentation({ tracerProvider });
  instrumentation.manuallyInstrument(OpenAI);
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${models.url}/v1`, maxRetries: 0 });
  const logs: AgentLog[] = [];
  try {
    for (const scenario of scenarios)
      logs.push(await runAgent(client, tracerProvider.getTracer("agent"), scenario, "openinference"));
    await tracerProvider.forceFlush();
  } finally {
    instrumentation.disable();
    await tracerProvider.shutdown();
  }
  return logs;
}

async function readKeyed(topic: string, expected: number): Promise<{ key: string; value: string }[]> {
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Math.random()}` });
  const messages: { key: string; value: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 20_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        messages.push({ key: message.key?.toString() ?? "", value: message.value?.toString() ?? "" });
        if (messages.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return messages;
}

async function stop(cli: RunningCli): Promise<{ code: number | null; stderr: string }> {
  cli.child.kill("SIGTERM");
  return cli.exited;
}

describe("shadowdiff collect --topic", () => {
  it("writes one record per trace to the topic, keyed by session, equal to what the loop did", async () => {
    const topic = await freshTopic(kafka, 3);
    const cli = collect(topic, join(directory, "dead-1.jsonl"));
    const logs = await traceAgent(await listening(cli), Object.values(SCENARIOS));
    const result = await stop(cli);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`${logs.length} records written, 0 dead letters`));
    const messages = await readKeyed(topic, logs.length);
    expect(messages).toHaveLength(logs.length);
    const records: ExchangeRecord[] = messages.map((message, index) => {
      const parsed = parseExchangeLine(message.value, { source: `kafka:${topic}`, line: index + 1 });
      if (!parsed.ok) throw parsed.error;
      expect(message.key).toBe(parsed.record.session);
      return parsed.record;
    });
    for (const log of logs) {
      const record = records.find((candidate) => candidate.id === log.requestId);
      if (record === undefined) throw new Error(`no record for ${log.requestId}`);
      expectRecordMatchesLog(record, log);
    }
    expectScenariosCovered(logs);
  });

  it("does not start when the topic does not exist or the brokers do not answer, and says which", async () => {
    const missing = `never-made-${Date.now()}`;
    const noTopic = await collect(missing, join(directory, "dead-2.jsonl")).exited;
    expect(noTopic.code).toBe(2);
    expect(noTopic.stderr).toContain(`topic '${missing}' (--topic) does not exist on ${brokers}`);
    expect(noTopic.stderr).not.toContain("OTLP/HTTP on");
    const away = await startCli(["collect", "--port", "0", "--topic", missing, "--brokers", "127.0.0.1:1"])
      .exited;
    expect(away.code).toBe(4);
    expect(away.stderr).toContain("cannot reach the Kafka brokers 127.0.0.1:1");
    expect(away.stderr).not.toContain("OTLP/HTTP on");
  });

  it("keeps receiving when the topic goes away: the refused records go to the dead letters, located", async () => {
    const topic = await freshTopic(kafka, 1);
    const deadLetterFile = join(directory, "dead-3.jsonl");
    // A short grace: each trace is written while collect runs, not at shutdown.
    const cli = collect(topic, deadLetterFile, "0.2");
    const url = await listening(cli);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, `${topic}.dead-letter`] });
    await admin.disconnect();
    const [first] = await traceAgent(url, [SCENARIOS.parallel as AgentScenario]);
    for (let waited = 0; waited < 90_000 && !/could not write/.test(cli.stderr()); waited += 250)
      await sleep(250);
    expect(cli.stderr()).toMatch(new RegExp(`kafka:${topic}: could not write 1 record .*collect goes on`));
    // Still serving: a later trace is received, and refused the same way rather than lost.
    const [second] = await traceAgent(url, [SCENARIOS.refusal as AgentScenario]);
    const result = await stop(cli);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/0 records written, 2 records not written to kafka:\S+ \(2 failed writes/);
    const letters = (await readFile(deadLetterFile, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as DeadLetter);
    expect(letters.map((letter) => [letter.code, letter.source, letter.record_id])).toEqual([
      ["SOURCE_UNAVAILABLE", `kafka:${topic}`, "req-status"],
      ["SOURCE_UNAVAILABLE", `kafka:${topic}`, "req-refusal"],
    ]);
    // The dead letter holds the record itself, ready to be replayed.
    for (const [letter, log] of [
      [letters[0], first],
      [letters[1], second],
    ] as const) {
      const parsed = parseExchangeLine(letter?.text ?? "", { source: deadLetterFile, line: 1 });
      if (!parsed.ok) throw parsed.error;
      if (log === undefined) throw new Error("no agent log");
      expectRecordMatchesLog(parsed.record, log);
    }
  });
});
