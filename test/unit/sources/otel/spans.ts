import { attributeMap, attributesFromMap } from "../../../../src/sources/otel/attribute-map.js";
import type { AttributeValue, OtelLogRecord, OtelSpan } from "../../../../src/sources/otel/span.js";

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
    ...spanTimes(
      BigInt(times.start) * 1_000_000n + 1_700_000_000_000_000_000n,
      BigInt(times.end) * 1_000_000n + 1_700_000_000_000_000_000n,
    ),
    attributes: attributesFromMap(attributes),
    events: [],
    status,
    resource: attributesFromMap({ "service.name": "agent", "service.version": "2.0.0" }),
    scope: { name: "test", version: "1" },
  };
}

/** A span's four time fields from bigint nanoseconds. */
export function spanTimes(
  startNs: bigint,
  endNs: bigint,
): Pick<OtelSpan, "startSeconds" | "startNanos" | "endSeconds" | "endNanos"> {
  const second = 1_000_000_000n;
  return {
    startSeconds: Number(startNs / second),
    startNanos: Number(startNs % second),
    endSeconds: Number(endNs / second),
    endNanos: Number(endNs % second),
  };
}

/**
 * A span with every attribute set as a plain object and its times as bigint nanoseconds:
 * decoders keep attributes behind a reader (protobuf spans read their decoded key/value list on
 * demand) and times as seconds and nanoseconds, so two spans are the same logical span when
 * these are equal.
 */
export function plainSpan(span: OtelSpan): unknown {
  const { startSeconds, startNanos, endSeconds, endNanos, ...rest } = span;
  return {
    ...rest,
    startNs: BigInt(startSeconds) * 1_000_000_000n + BigInt(startNanos),
    endNs: BigInt(endSeconds) * 1_000_000_000n + BigInt(endNanos),
    attributes: attributeMap(span.attributes),
    events: span.events.map((event) => ({ ...event, attributes: attributeMap(event.attributes) })),
    resource: attributeMap(span.resource),
  };
}

/** plainSpan for log records. */
export function plainLog(log: OtelLogRecord): unknown {
  return { ...log, attributes: attributeMap(log.attributes), resource: attributeMap(log.resource) };
}
