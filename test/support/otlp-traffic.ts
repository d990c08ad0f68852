import { createRequire } from "node:module";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import type OpenAIType from "openai";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import { decodeOtlp } from "../../src/sources/otel/decode.js";
import { TraceIngest } from "../../src/sources/otel/trace-ingest.js";
import { type AgentLog, RELEASE, runAgent, SCENARIOS } from "./otel-agent.js";

/** One Kafka message of OTLP traffic: the partition it goes to and one ExportTraceServiceRequest. */
export interface OtlpMessage {
  readonly partition: number;
  readonly value: Buffer;
  /** The message holds a root (agent) span: the trace completes once it and its grace are in. */
  readonly root: boolean;
}

export interface AgentRelease {
  readonly version: string;
  /** The pinned model snapshot this release's agent calls (the scripted server answers per model). */
  readonly model: string;
}

export const BASELINE: AgentRelease = { version: RELEASE.version, model: "gpt-4o-2024-08-06" };
export const CANDIDATE: AgentRelease = { version: "1.5.0", model: "gpt-4.1-2025-04-14" };

/**
 * Both releases' agents, each traced by the real SDK and Arize's OpenInference instrumentation of
 * the official openai client against the scripted model server (a FIXTURE), running every
 * scenario `rounds` times (request ids `<id>-<round>`). Spans are serialised as the Collector's
 * Kafka exporter writes them, one ExportTraceServiceRequest per message (protobuf, every fifth one
 * OTLP JSON, and now and then two spans of different traces in one message), in the order the
 * SDK ended them, spread round-robin over `partitions`.
 */
export async function otlpTraffic(
  modelsUrl: string,
  rounds: number,
  partitions: number,
): Promise<{ messages: OtlpMessage[]; logs: AgentLog[] }> {
  const OpenAI = createRequire(import.meta.url)("openai") as typeof OpenAIType;
  const spans: ReadableSpan[] = [];
  const logs: AgentLog[] = [];
  for (const release of [BASELINE, CANDIDATE]) {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new NodeTracerProvider({
      resource: resourceFromAttributes({ "service.name": RELEASE.name, "service.version": release.version }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    // The first register() installs the context manager; later ones only fail to replace it.
    tracerProvider.register();
    const instrumentation = new OpenAIInstrumentation({ tracerProvider });
    instrumentation.manuallyInstrument(OpenAI);
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${modelsUrl}/v1`, maxRetries: 0 });
    try {
      for (let round = 0; round < rounds; round++) {
        for (const scenario of Object.values(SCENARIOS)) {
          const request = { ...scenario, requestId: `${scenario.requestId}-${round}`, model: release.model };
          logs.push(await runAgent(client, tracerProvider.getTracer("test-agent"), request, "openinference"));
        }
      }
      await tracerProvider.forceFlush();
      spans.push(...exporter.getFinishedSpans());
    } finally {
      instrumentation.disable();
      await tracerProvider.shutdown();
    }
  }
  const messages: OtlpMessage[] = [];
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index] as ReadableSpan;
    const next = spans[index + 1];
    // Every seventh message also carries the next span, of another trace when it ends one.
    const batch = index % 7 === 3 && next !== undefined ? [span, spans[++index] as ReadableSpan] : [span];
    const serialized =
      messages.length % 5 === 4
        ? JsonTraceSerializer.serializeRequest(batch)
        : ProtobufTraceSerializer.serializeRequest(batch);
    if (serialized === undefined) throw new Error("the serializer returned nothing");
    messages.push({
      partition: messages.length % partitions,
      value: Buffer.from(serialized),
      root: batch.some((one) => one.parentSpanContext === undefined),
    });
  }
  return { messages, logs };
}

/** The exchange records the same messages make, assembled in one go (the oracle's input for `run`). */
export function recordsOf(messages: readonly OtlpMessage[]): ExchangeRecord[] {
  const ingest = new TraceIngest(
    { graceMs: 0, idleMs: 1e9, maxTraces: 10_000, maxSpans: 1_000_000, now: () => 0 },
    "oracle",
  );
  const outputs = messages.flatMap((message) => {
    const decoded = decodeOtlp(message.value, "traces", { source: "oracle" });
    if (!decoded.ok) throw decoded.error;
    return ingest.add(decoded.batch);
  });
  outputs.push(...ingest.flush());
  return outputs.map((output) => {
    if (output.kind !== "record") throw output.error;
    return output.record;
  });
}
