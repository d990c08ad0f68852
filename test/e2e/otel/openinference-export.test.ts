import { createRequire } from "node:module";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { OTLPTraceExporter as HttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import type OpenAIType from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScriptedServer, startScriptedModelServer } from "../../../fixtures/model-server/server.js";
import { type AgentLog, RELEASE, runAgent, SCENARIOS } from "../../support/otel-agent.js";
import { expectRecordMatchesLog, expectScenariosCovered } from "../../support/otel-expect.js";
import { testReceiver } from "../../support/otel-receiver.js";

/**
 * OpenInference spans (Arize's instrumentation of the official openai client) exported with the
 * official OTLP exporters, protobuf and JSON, to the receiver `shadowdiff collect` runs. The
 * instrumentation patches the module it is handed (manuallyInstrument), so the CommonJS build is
 * loaded with createRequire and patched before the client is made: vitest's ESM import of
 * "openai" is never seen by require hooks. Each span is exported in its own request
 * (SimpleSpanProcessor), so every trace arrives in several requests and is assembled.
 */
const OpenAI = createRequire(import.meta.url)("openai") as typeof OpenAIType;
const resource = resourceFromAttributes({ "service.name": RELEASE.name, "service.version": RELEASE.version });
let models: ScriptedServer;

beforeAll(async () => {
  models = await startScriptedModelServer();
});

afterAll(async () => {
  await models.close();
});

describe.each([
  ["OTLP/protobuf", (url: string) => new ProtoExporter({ url: `${url}/v1/traces` })],
  ["OTLP/JSON", (url: string) => new HttpJsonExporter({ url: `${url}/v1/traces` })],
])("OpenInference traces over %s to the collect receiver", (_, exporterFor) => {
  it("become records equal to what the loop did: multi-step, parallel, tool error, refusal", async () => {
    const { receiver, records, deadLetters } = await testReceiver();
    const tracerProvider = new NodeTracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor(exporterFor(receiver.url))],
    });
    // register() installs the async context manager that makes startActiveSpan parent the model
    // call and tool spans; a second register() only fails to replace the global provider.
    tracerProvider.register();
    const instrumentation = new OpenAIInstrumentation({ tracerProvider });
    instrumentation.manuallyInstrument(OpenAI);
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${models.url}/v1`, maxRetries: 0 });
    const tracer = tracerProvider.getTracer("test-agent");
    const agentLogs: AgentLog[] = [];
    try {
      for (const scenario of Object.values(SCENARIOS))
        agentLogs.push(await runAgent(client, tracer, scenario, "openinference"));
      await tracerProvider.forceFlush();
    } finally {
      instrumentation.disable();
      await tracerProvider.shutdown();
      await receiver.close();
    }
    expect(receiver.counts.malformed).toBe(0);
    expect(receiver.counts.requests).toBeGreaterThan(agentLogs.length);
    expect(deadLetters).toEqual([]);
    expect(records).toHaveLength(agentLogs.length);
    for (const log of agentLogs) {
      const record = records.find((candidate) => candidate.id === log.requestId);
      if (record === undefined) throw new Error(`no record for ${log.requestId}`);
      expectRecordMatchesLog(record, log);
    }
    expectScenariosCovered(agentLogs);
  });
});
