import type { AttributeValue, OtelSpan } from "../../../../src/sources/otel/span.js";

/** A span as plain data for unit tests; ids are short names padded to valid hex lengths. */
export function span(
  traceId: string,
  spanId: string,
  parent: string | null,
  attributes: Record<string, AttributeValue>,
  times: { start: number; end: number } = { start: 0, end: 10 },
  status: OtelSpan["status"] = { code: 0, message: "" },
): OtelSpan {
  return {
    traceId: traceId.padStart(32, "0"),
    spanId: spanId.padStart(16, "0"),
    parentSpanId: parent === null ? null : parent.padStart(16, "0"),
    name: String(attributes["gen_ai.operation.name"] ?? "span"),
    kind: 1,
    startNs: BigInt(times.start) * 1_000_000n + 1_700_000_000_000_000_000n,
    endNs: BigInt(times.end) * 1_000_000n + 1_700_000_000_000_000_000n,
    attributes,
    events: [],
    status,
    resource: { "service.name": "agent", "service.version": "2.0.0" },
    scope: { name: "test", version: "1" },
  };
}
