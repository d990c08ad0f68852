import type { RawMessage } from "../../../src/pairing/recorded-batch.js";
import { ExportTraceServiceRequest } from "../../../src/sources/otel/otlp-messages.js";

/**
 * OTLP test traffic for the consumer: one agent request as two spans (the invoke_agent root and
 * one chat call answering in text), each encoded as its own ExportTraceServiceRequest with the
 * library's protobuf encoder, as the Collector's Kafka exporter writes them.
 */
export interface TestTrace {
  /** The root (agent) span's message; its arrival starts the grace window. */
  readonly root: Uint8Array;
  readonly chat: Uint8Array;
}

const string = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** A trace of request `requestId` by release `release` (a `shadowdiff.release.id`). */
export function testTrace(
  requestId: string,
  release: string,
  output: string,
  traceNumber: number,
): TestTrace {
  const traceId = Buffer.from(traceNumber.toString(16).padStart(32, "0"), "hex");
  const rootId = Buffer.from("0000000000000001", "hex");
  const start = 1_700_000_000_000_000_000n + BigInt(traceNumber) * 1_000_000_000n;
  const request = (span: Record<string, unknown>) =>
    ExportTraceServiceRequest.encode({
      resourceSpans: [
        {
          resource: { attributes: [string("service.name", "support-agent")] },
          scopeSpans: [{ scope: { name: "test", version: "1" }, spans: [span] }],
        },
      ],
    }).finish();
  return {
    root: request({
      traceId,
      spanId: rootId,
      name: "invoke_agent support",
      kind: 1,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + 50_000_000n).toString(),
      attributes: [
        string("gen_ai.operation.name", "invoke_agent"),
        string("shadowdiff.request.id", requestId),
        string("shadowdiff.release.id", release),
      ],
    }),
    chat: request({
      traceId,
      spanId: Buffer.from("0000000000000002", "hex"),
      parentSpanId: rootId,
      name: "chat gpt-4o",
      kind: 3,
      startTimeUnixNano: (start + 1_000_000n).toString(),
      endTimeUnixNano: (start + 40_000_000n).toString(),
      attributes: [
        string("gen_ai.operation.name", "chat"),
        string("gen_ai.response.model", "gpt-4o-2024-08-06"),
        string(
          "gen_ai.input.messages",
          JSON.stringify([{ role: "user", parts: [{ type: "text", content: "hi" }] }]),
        ),
        string(
          "gen_ai.output.messages",
          JSON.stringify([
            { role: "assistant", parts: [{ type: "text", content: output }], finish_reason: "stop" },
          ]),
        ),
      ],
    }),
  };
}

/** Messages at offsets `first`…, in the order given. */
export function otlpMessages(payloads: readonly Uint8Array[], first = 0): RawMessage[] {
  return payloads.map((payload, index) => ({
    key: null,
    value: Buffer.from(payload),
    offset: String(first + index),
  }));
}
