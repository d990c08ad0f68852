import type { ShadowdiffError } from "../../contracts/errors.js";
import { bytesIdProblem, bytesToHex, type OtlpDecode, type OtlpOrigin, otlpError } from "./decode-common.js";
import {
  ExportLogsServiceRequest,
  ExportTraceServiceRequest,
  type ProtoLogsRequest,
  type ProtoLong,
  type ProtoSpan,
  type ProtoTraceRequest,
} from "./otlp-messages.js";
import { anyValue, attributesOf, resourceOf, spanAttributes } from "./proto-attributes.js";
import type { InstrumentationScope, OtelLogRecord, OtelSpan, SpanEvent, StatusCode } from "./span.js";

/** An OTLP/protobuf `ExportTraceServiceRequest` to spans; never throws. */
export function decodeProtobufTraces(payload: Uint8Array, origin: OtlpOrigin): OtlpDecode {
  let request: ProtoTraceRequest;
  try {
    request = ExportTraceServiceRequest.decode(payload);
  } catch (cause) {
    return { ok: false, error: unreadable(origin, "ExportTraceServiceRequest", payload, cause) };
  }
  const spans: OtelSpan[] = [];
  let rejected: ShadowdiffError[] | undefined;
  // Plain loops and no per-span closures or strings that only a refused span needs: this loop
  // runs once per span, and with forEach and an eager JSON path it cost 0.7x of the decode itself.
  const resourceSpansList = request.resourceSpans;
  for (let r = 0; r < resourceSpansList.length; r++) {
    const resourceSpans = resourceSpansList[r] as ProtoTraceRequest["resourceSpans"][number];
    const resource = resourceOf(resourceSpans.resource?.attributes ?? []);
    const scopeSpansList = resourceSpans.scopeSpans;
    for (let s = 0; s < scopeSpansList.length; s++) {
      const scopeSpans = scopeSpansList[s] as (typeof scopeSpansList)[number];
      const scope = scopeOf(scopeSpans.scope?.name ?? "", scopeSpans.scope?.version ?? "");
      const protoSpans = scopeSpans.spans;
      for (let index = 0; index < protoSpans.length; index++) {
        const span = protoSpans[index] as ProtoSpan;
        const problem =
          bytesIdProblem(span.traceId, 16, "traceId") ?? bytesIdProblem(span.spanId, 8, "spanId");
        if (problem !== undefined) {
          const path = `/resourceSpans/${r}/scopeSpans/${s}/spans/${index}`;
          rejected ??= [];
          rejected.push(otlpError(origin, path, `${problem} (span ${JSON.stringify(span.name ?? "")})`));
          continue;
        }
        spans.push({
          traceId: traceIds.hex(span.traceId as Uint8Array),
          spanId: bytesToHex(span.spanId as Uint8Array),
          parentSpanId:
            span.parentSpanId === null || span.parentSpanId.length === 0
              ? null
              : parentIds.hex(span.parentSpanId),
          name: span.name ?? "",
          kind: span.kind ?? 0,
          startNs: nanos(span.startTimeUnixNano),
          endNs: nanos(span.endTimeUnixNano),
          attributes: spanAttributes.of(span.attributes),
          events: span.events.length === 0 ? NO_EVENTS : span.events.map(eventOf),
          status: statusOf(span.status),
          resource,
          scope,
        });
      }
    }
  }
  return { ok: true, batch: { spans, logs: NO_LOGS }, rejected: rejected ?? NO_REJECTIONS };
}

/** An OTLP/protobuf `ExportLogsServiceRequest` to log records; records not tied to a span are skipped. */
export function decodeProtobufLogs(payload: Uint8Array, origin: OtlpOrigin): OtlpDecode {
  let request: ProtoLogsRequest;
  try {
    request = ExportLogsServiceRequest.decode(payload);
  } catch (cause) {
    return { ok: false, error: unreadable(origin, "ExportLogsServiceRequest", payload, cause) };
  }
  const logs: OtelLogRecord[] = [];
  for (const resourceLogs of request.resourceLogs) {
    const resource = resourceOf(resourceLogs.resource?.attributes ?? []);
    for (const scopeLogs of resourceLogs.scopeLogs) {
      for (const record of scopeLogs.logRecords) {
        // A log record outside any span (an application log line) says nothing about a trace.
        if (bytesIdProblem(record.traceId, 16, "traceId") ?? bytesIdProblem(record.spanId, 8, "spanId"))
          continue;
        const traceId = bytesToHex(record.traceId ?? EMPTY);
        const spanId = bytesToHex(record.spanId ?? EMPTY);
        const attributes = attributesOf(record.attributes);
        const named = attributes["event.name"];
        logs.push({
          traceId,
          spanId,
          timeNs: nanos(record.timeUnixNano ?? record.observedTimeUnixNano),
          eventName: record.eventName || (typeof named === "string" ? named : ""),
          attributes,
          body: record.body === null ? null : anyValue(record.body),
          resource,
        });
      }
    }
  }
  return { ok: true, batch: { spans: [], logs }, rejected: [] };
}

const EMPTY = new Uint8Array(0);
// Shared empty lists and the unset status: a one-span request made two arrays and a status
// object that nothing ever wrote to (bench/otel).
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LOGS: readonly OtelLogRecord[] = Object.freeze([]);
const NO_REJECTIONS: readonly ShadowdiffError[] = Object.freeze([]);
const UNSET_STATUS: OtelSpan["status"] = Object.freeze({ code: 0, message: "" });

function statusOf(status: ProtoSpan["status"]): OtelSpan["status"] {
  const code = statusCode(status?.code);
  const message = status?.message ?? "";
  return code === 0 && message === "" ? UNSET_STATUS : { code, message };
}

let lastScope: InstrumentationScope = Object.freeze({ name: "", version: "" });

/** The previous request's scope when it is the same: an SDK names one scope per instrumentation. */
function scopeOf(name: string, version: string): InstrumentationScope {
  if (lastScope.name !== name || lastScope.version !== version) lastScope = Object.freeze({ name, version });
  return lastScope;
}

/**
 * The hex of the last id of one kind, kept while the next id has the same bytes: the spans of a
 * trace share its trace id and mostly one parent (the agent span), so two of a span's three ids
 * are the previous span's. Comparing 8 or 16 bytes costs a tenth of Buffer's hex conversion.
 */
class RepeatedIdHex {
  private bytes: Uint8Array = EMPTY;
  private text = "";

  hex(bytes: Uint8Array): string {
    const known = this.bytes;
    if (known.length === bytes.length) {
      let index = 0;
      while (index < bytes.length && known[index] === bytes[index]) index++;
      if (index === bytes.length) return this.text;
    }
    // A copy: protobufjs' ids are views into the request's buffer, which a caller may reuse.
    this.bytes = new Uint8Array(bytes);
    this.text = bytesToHex(bytes);
    return this.text;
  }
}

const traceIds = new RepeatedIdHex();
const parentIds = new RepeatedIdHex();

function eventOf(event: ProtoSpan["events"][number]): SpanEvent {
  return {
    name: event.name ?? "",
    timeNs: nanos(event.timeUnixNano),
    attributes: attributesOf(event.attributes),
  };
}

function unreadable(
  origin: OtlpOrigin,
  message: string,
  payload: Uint8Array,
  cause: unknown,
): ShadowdiffError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  // protobufjs reports a cut-off message as "index out of range: 52 + 1 > 52".
  const truncated = /index out of range/.test(reason) ? "truncated or " : "";
  const error = otlpError(
    origin,
    undefined,
    `not an OTLP protobuf ${message} (${truncated}malformed after ${payload.length} bytes: ${reason})`,
  );
  return error;
}

let lastHigh = 0;
let lastHighPart = 0n;

function nanos(value: ProtoLong | number | null): bigint {
  if (value === null) return 0n;
  if (typeof value === "number") return BigInt(Math.trunc(value));
  // From the two 32-bit halves: a tenth of the cost of going through the decimal text. The high
  // half is the same for 4.3 s of nanoseconds, so its bigint is kept (two allocations of four).
  const high = value.high >>> 0;
  if (high !== lastHigh) {
    lastHigh = high;
    lastHighPart = BigInt(high) << 32n;
  }
  return lastHighPart | BigInt(value.low >>> 0);
}

function statusCode(code: number | null | undefined): StatusCode {
  return code === 1 || code === 2 ? code : 0;
}
