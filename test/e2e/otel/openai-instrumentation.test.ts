import { createRequire } from "node:module";
import { trace } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import type OpenAIType from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScriptedServer, startScriptedModelServer } from "../../../fixtures/model-server/server.js";
import { decodeOtlp } from "../../../src/sources/otel/decode.js";
import { TraceIngest } from "../../../src/sources/otel/trace-ingest.js";
import { type AgentLog, RELEASE, runAgent, SCENARIOS } from "../../support/otel-agent.js";
import { expectRecordMatchesLog, expectScenariosCovered } from "../../support/otel-expect.js";

/**
 * Spans and log events from the real @opentelemetry/instrumentation-openai of the official
 * openai client, talking to the scripted model server (a FIXTURE), serialised with the OTel
 * library's own protobuf serializer one span per message (as the Collector's Kafka exporter
 * writes one ExportTraceServiceRequest per message), decoded and assembled.
 *
 * Under vitest, `import "openai"` loads the package's ESM build through Node's loader, which the
 * instrumentation's require hook never sees; the CommonJS build loaded with createRequire after
 * registerInstrumentations is patched, so the test loads openai that way.
 */
const spans = new InMemorySpanExporter();
const logRecords = new InMemoryLogRecordExporter();
const resource = resourceFromAttributes({ "service.name": RELEASE.name, "service.version": RELEASE.version });
const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spans)] });
const loggerProvider = new LoggerProvider({
  resource,
  processors: [new SimpleLogRecordProcessor({ exporter: logRecords })],
});
let models: ScriptedServer;
let client: OpenAIType;

beforeAll(async () => {
  tracerProvider.register();
  logs.setGlobalLoggerProvider(loggerProvider);
  registerInstrumentations({
    instrumentations: [new OpenAIInstrumentation({ captureMessageContent: true })],
    tracerProvider,
    loggerProvider,
  });
  const OpenAI = createRequire(import.meta.url)("openai") as typeof OpenAIType;
  models = await startScriptedModelServer();
  client = new OpenAI({ apiKey: "sk-test", baseURL: `${models.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await models.close();
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
});

describe("@opentelemetry/instrumentation-openai traces", () => {
  it("become records equal to what the loop did: multi-step, parallel, tool error, refusal", async () => {
    const tracer = trace.getTracer("test-agent");
    const agentLogs: AgentLog[] = [];
    for (const scenario of Object.values(SCENARIOS))
      agentLogs.push(await runAgent(client, tracer, scenario, "gen_ai"));
    await tracerProvider.forceFlush();
    await loggerProvider.forceFlush();
    const ingest = new TraceIngest(
      { graceMs: 0, idleMs: 1e9, maxTraces: 100, maxSpans: 10_000, now: () => 0 },
      "kafka:test",
    );
    const outputs = [];
    for (const span of spans.getFinishedSpans()) {
      const message = ProtobufTraceSerializer.serializeRequest([span]);
      if (message === undefined) throw new Error("serializer returned nothing");
      const decoded = decodeOtlp(message, "traces", { source: "kafka:test" });
      if (!decoded.ok) throw decoded.error;
      outputs.push(...ingest.add(decoded.batch));
    }
    const logMessage = ProtobufLogsSerializer.serializeRequest(logRecords.getFinishedLogRecords());
    if (logMessage === undefined) throw new Error("serializer returned nothing");
    const decodedLogs = decodeOtlp(logMessage, "logs", { source: "kafka:test" });
    if (!decodedLogs.ok) throw decodedLogs.error;
    expect(decodedLogs.batch.logs.length).toBeGreaterThan(0);
    outputs.push(...ingest.add(decodedLogs.batch), ...ingest.flush());
    const records = outputs.flatMap((output) => (output.kind === "record" ? [output.record] : []));
    expect(outputs.filter((output) => output.kind === "dead-letter")).toEqual([]);
    expect(records).toHaveLength(agentLogs.length);
    for (const log of agentLogs) {
      const record = records.find((candidate) => candidate.id === log.requestId);
      if (record === undefined) throw new Error(`no record for ${log.requestId}`);
      expectRecordMatchesLog(record, log);
    }
    expectScenariosCovered(agentLogs);
  });
});
