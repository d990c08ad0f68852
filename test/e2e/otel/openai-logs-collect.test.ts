import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPTraceExporter as HttpJsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-node";
import type OpenAIType from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScriptedServer, startScriptedModelServer } from "../../../fixtures/model-server/server.js";
import type { ExchangeRecord } from "../../../src/contracts/exchange.js";
import { type AgentLog, RELEASE, runAgent, SCENARIOS } from "../../support/otel-agent.js";
import { expectRecordMatchesLog, expectScenariosCovered } from "../../support/otel-expect.js";

/**
 * @opentelemetry/instrumentation-openai writes message content only as OTel log records, never
 * on its spans. Here its spans and its log records both leave through the official OTLP/HTTP
 * exporters (traces as protobuf or JSON, logs as JSON: @opentelemetry/exporter-logs-otlp-proto is
 * not installed) to the built CLI's `collect`, which must join them by trace and span id: without
 * the logs, a record has no request messages and no tool calls, and the checks below fail.
 *
 * The instrumentation patches the CommonJS openai loaded after registerInstrumentations (see
 * openai-instrumentation.test.ts); each case gets its own providers, handed to it.
 */
const resource = resourceFromAttributes({ "service.name": RELEASE.name, "service.version": RELEASE.version });
const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
let models: ScriptedServer;
let client: OpenAIType;
let directory: string;

beforeAll(async () => {
  registerInstrumentations({ instrumentations: [instrumentation] });
  const OpenAI = createRequire(import.meta.url)("openai") as typeof OpenAIType;
  models = await startScriptedModelServer();
  client = new OpenAI({ apiKey: "sk-test", baseURL: `${models.url}/v1`, maxRetries: 0 });
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-otel-logs-"));
});

afterAll(async () => {
  instrumentation.disable();
  await models.close();
});

function startCollect(out: string): { child: ChildProcess; stderr: () => string } {
  // A grace longer than the test: every trace is mapped at SIGTERM, after its logs have come.
  const child = spawn(
    "node",
    ["bin/shadowdiff.js", "collect", "--port", "0", "--grace", "600", "--out", out],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stderr: () => stderr };
}

async function listening(collect: { child: ChildProcess; stderr: () => string }): Promise<string> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(collect.stderr())?.[1];
    if (url !== undefined) return url;
    if (collect.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`collect did not start: ${collect.stderr()}`);
}

describe.each([
  ["OTLP/protobuf", (url: string) => new ProtoTraceExporter({ url: `${url}/v1/traces` })],
  ["OTLP/JSON", (url: string) => new HttpJsonTraceExporter({ url: `${url}/v1/traces` })],
])("instrumentation-openai spans over %s and log records over OTLP/JSON to collect", (_, traceExporter) => {
  it("become records equal to what the loop did: multi-step, parallel, tool error, refusal", async () => {
    const out = join(directory, `${_.replace("/", "-")}.jsonl`);
    const collect = startCollect(out);
    const url = await listening(collect);
    const spanExporter: SpanExporter = traceExporter(url);
    const tracerProvider = new NodeTracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor(spanExporter)],
    });
    const loggerProvider = new LoggerProvider({
      resource,
      processors: [
        new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }) }),
      ],
    });
    // register() installs the context manager that parents the model-call spans under the agent's.
    tracerProvider.register();
    logs.setGlobalLoggerProvider(loggerProvider);
    instrumentation.setTracerProvider(tracerProvider);
    instrumentation.setLoggerProvider(loggerProvider);
    const agentLogs: AgentLog[] = [];
    try {
      const tracer = trace.getTracer("test-agent");
      for (const scenario of Object.values(SCENARIOS))
        agentLogs.push(await runAgent(client, tracer, scenario, "gen_ai"));
      await tracerProvider.forceFlush();
      await loggerProvider.forceFlush();
    } finally {
      await tracerProvider.shutdown();
      await loggerProvider.shutdown();
      logs.disable();
      trace.disable();
    }
    const exited = new Promise<number | null>((resolve) => collect.child.once("exit", resolve));
    collect.child.kill("SIGTERM");
    expect(await exited, collect.stderr()).toBe(0);
    const logRecords = Number(/(\d+) log records/.exec(collect.stderr())?.[1]);
    expect(logRecords).toBeGreaterThan(0);
    expect(collect.stderr()).toMatch(/0 dead letters, 0 spans rejected, 0 malformed requests/);
    const records = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as ExchangeRecord);
    expect(records).toHaveLength(agentLogs.length);
    for (const log of agentLogs) {
      const record = records.find((candidate) => candidate.id === log.requestId);
      if (record === undefined) throw new Error(`no record for ${log.requestId}`);
      expectRecordMatchesLog(record, log);
    }
    expectScenariosCovered(agentLogs);
  });
});
