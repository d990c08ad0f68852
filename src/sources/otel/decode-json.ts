import type { ShadowdiffError } from "../../contracts/errors.js";
import { printable } from "../../contracts/errors.js";
import { idProblem, type OtlpDecode, type OtlpOrigin, otlpError } from "./decode-common.js";
import type { Attributes, AttributeValue, OtelLogRecord, OtelSpan, StatusCode } from "./span.js";

/**
 * OTLP/JSON (the OTLP/HTTP JSON encoding and the Collector's file exporter): protobuf's JSON
 * mapping with OTLP's deviations: trace and span ids are hex, not base64; enums are integers;
 * 64-bit integers may be strings. Field names are lowerCamelCase; the proto names (snake_case)
 * are accepted too, as protobuf JSON parsers must.
 */
export function decodeJsonOtlp(text: string, origin: OtlpOrigin): OtlpDecode {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: otlpError(origin, undefined, `not OTLP JSON (${printable(reason)})`) };
  }
  if (!isObject(document)) return { ok: false, error: otlpError(origin, "", "OTLP JSON must be an object") };
  const resourceSpans = field(document, "resourceSpans", "resource_spans");
  const resourceLogs = field(document, "resourceLogs", "resource_logs");
  if (resourceSpans === undefined && resourceLogs === undefined) {
    return {
      ok: false,
      error: otlpError(
        origin,
        "",
        "neither an ExportTraceServiceRequest (resourceSpans) nor logs (resourceLogs)",
      ),
    };
  }
  const rejected: ShadowdiffError[] = [];
  const spans: OtelSpan[] = [];
  const logs: OtelLogRecord[] = [];
  list(resourceSpans).forEach((entry, r) => {
    const resource = attributesOf(field(objectOr(field(entry, "resource")), "attributes"));
    list(field(entry, "scopeSpans", "scope_spans")).forEach((scopeSpans, s) => {
      const scopeValue = objectOr(field(scopeSpans, "scope"));
      const scope = { name: text_(field(scopeValue, "name")), version: text_(field(scopeValue, "version")) };
      list(field(scopeSpans, "spans")).forEach((span, index) => {
        const path = `/resourceSpans/${r}/scopeSpans/${s}/spans/${index}`;
        const traceId = hexId(field(span, "traceId", "trace_id"));
        const spanId = hexId(field(span, "spanId", "span_id"));
        const name = text_(field(span, "name"));
        const problem = idProblem(traceId, 16, "traceId") ?? idProblem(spanId, 8, "spanId");
        if (problem !== undefined) {
          rejected.push(otlpError(origin, path, `${problem} (span ${JSON.stringify(printable(name))})`));
          return;
        }
        const parent = hexId(field(span, "parentSpanId", "parent_span_id"));
        const status = objectOr(field(span, "status"));
        spans.push({
          traceId,
          spanId,
          parentSpanId: parent.length === 0 ? null : parent,
          name,
          kind: enumNumber(field(span, "kind"), SPAN_KINDS),
          startNs: nanos(field(span, "startTimeUnixNano", "start_time_unix_nano")),
          endNs: nanos(field(span, "endTimeUnixNano", "end_time_unix_nano")),
          attributes: attributesOf(field(span, "attributes")),
          events: list(field(span, "events")).map((event) => ({
            name: text_(field(event, "name")),
            timeNs: nanos(field(event, "timeUnixNano", "time_unix_nano")),
            attributes: attributesOf(field(event, "attributes")),
          })),
          status: {
            code: enumNumber(field(status, "code"), STATUS_CODES) as StatusCode,
            message: text_(field(status, "message")),
          },
          resource,
          scope,
        });
      });
    });
  });
  for (const entry of list(resourceLogs)) {
    const resource = attributesOf(field(objectOr(field(entry, "resource")), "attributes"));
    for (const scopeLogs of list(field(entry, "scopeLogs", "scope_logs"))) {
      for (const record of list(field(scopeLogs, "logRecords", "log_records"))) {
        const traceId = hexId(field(record, "traceId", "trace_id"));
        const spanId = hexId(field(record, "spanId", "span_id"));
        if (idProblem(traceId, 16, "traceId") !== undefined || idProblem(spanId, 8, "spanId") !== undefined)
          continue;
        const attributes = attributesOf(field(record, "attributes"));
        const named = attributes["event.name"];
        const body = field(record, "body");
        logs.push({
          traceId,
          spanId,
          timeNs: nanos(
            field(record, "timeUnixNano", "time_unix_nano") ??
              field(record, "observedTimeUnixNano", "observed_time_unix_nano"),
          ),
          eventName:
            text_(field(record, "eventName", "event_name")) || (typeof named === "string" ? named : ""),
          attributes,
          body: body === undefined ? null : anyValue(body),
          resource,
        });
      }
    }
  }
  return { ok: true, batch: { spans, logs }, rejected };
}

type JsonObject = Readonly<Record<string, unknown>>;

const SPAN_KINDS = [
  "SPAN_KIND_UNSPECIFIED",
  "SPAN_KIND_INTERNAL",
  "SPAN_KIND_SERVER",
  "SPAN_KIND_CLIENT",
  "SPAN_KIND_PRODUCER",
  "SPAN_KIND_CONSUMER",
];
const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectOr(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

function field(object: unknown, name: string, protoName?: string): unknown {
  if (!isObject(object)) return undefined;
  if (Object.hasOwn(object, name)) return object[name];
  return protoName !== undefined && Object.hasOwn(object, protoName) ? object[protoName] : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function text_(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function hexId(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase() : "";
}

/** Enums are integers in OTLP JSON; the enum value names are accepted as well. */
function enumNumber(value: unknown, names: readonly string[]): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string") {
    const index = names.indexOf(value);
    return index >= 0 ? index : /^\d+$/.test(value) ? Number(value) : 0;
  }
  return 0;
}

function nanos(value: unknown): bigint {
  if (typeof value === "string" && /^\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return BigInt(Math.trunc(value));
  return 0n;
}

function attributesOf(value: unknown): Attributes {
  const attributes: Record<string, AttributeValue> = {};
  for (const pair of list(value)) {
    const key = field(pair, "key");
    if (typeof key !== "string") continue;
    const converted = anyValue(field(pair, "value"));
    if (key === "__proto__") Object.defineProperty(attributes, key, { value: converted, enumerable: true });
    else attributes[key] = converted;
  }
  return attributes;
}

function anyValue(value: unknown): AttributeValue {
  if (!isObject(value)) return null;
  const stringValue = field(value, "stringValue", "string_value");
  if (typeof stringValue === "string") return stringValue;
  const boolValue = field(value, "boolValue", "bool_value");
  if (typeof boolValue === "boolean") return boolValue;
  const intValue = field(value, "intValue", "int_value");
  if (typeof intValue === "number") return intValue;
  if (typeof intValue === "string" && /^-?\d+$/.test(intValue)) {
    const exact = Number(intValue);
    return Number.isSafeInteger(exact) ? exact : intValue;
  }
  const doubleValue = field(value, "doubleValue", "double_value");
  if (typeof doubleValue === "number") return doubleValue;
  // protobuf JSON writes non-finite doubles as strings.
  if (typeof doubleValue === "string") return Number(doubleValue);
  const arrayValue = field(value, "arrayValue", "array_value");
  if (arrayValue !== undefined) return list(field(arrayValue, "values")).map(anyValue);
  const kvlistValue = field(value, "kvlistValue", "kvlist_value");
  if (kvlistValue !== undefined) return attributesOf(field(kvlistValue, "values"));
  const bytesValue = field(value, "bytesValue", "bytes_value");
  if (typeof bytesValue === "string") return bytesValue;
  return null;
}
