import type { ShadowdiffError } from "../../contracts/errors.js";
import { bytesIdProblem, bytesToHex, type OtlpDecode, type OtlpOrigin, otlpError } from "./decode-common.js";
import {
  ExportLogsServiceRequest,
  ExportTraceServiceRequest,
  type ProtoAnyValue,
  type ProtoKeyValue,
  type ProtoLogsRequest,
  type ProtoLong,
  type ProtoSpan,
  type ProtoTraceRequest,
} from "./otlp-messages.js";
import type {
  Attributes,
  AttributeValue,
  InstrumentationScope,
  OtelLogRecord,
  OtelSpan,
  SpanEvent,
  StatusCode,
} from "./span.js";

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
          spanId: idHex(span.spanId as Uint8Array),
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
    this.text = idHex(bytes);
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

/**
 * An id's hex. protobufjs hands out Buffers when it decodes a Buffer (every Node caller: HTTP
 * bodies, Kafka values), and Buffer's native hex is twice as fast as the byte table (6.9 against
 * 11.9 ms for 30,000 spans' three ids); a plain Uint8Array takes the table.
 */
function idHex(bytes: Uint8Array): string {
  return Buffer.isBuffer(bytes) ? bytes.toString("hex") : bytesToHex(bytes);
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

let lastResourcePairs: readonly ProtoKeyValue[] = [];
let lastResource: Attributes = {};

/**
 * A request's resource attributes, shared with the previous request's when they are the same:
 * an SDK sends the same resource with every export, and building it again for each request was
 * a fifth of converting a one-span request's attributes (bench/otel). Only plain scalar values
 * are compared; anything else is built afresh.
 */
function resourceOf(pairs: readonly ProtoKeyValue[]): Attributes {
  if (samePairs(pairs, lastResourcePairs)) return lastResource;
  lastResource = attributesOf(pairs);
  lastResourcePairs = pairs;
  return lastResource;
}

function samePairs(pairs: readonly ProtoKeyValue[], known: readonly ProtoKeyValue[]): boolean {
  if (pairs.length !== known.length) return false;
  for (let index = 0; index < pairs.length; index++) {
    const pair = pairs[index] as ProtoKeyValue;
    const other = known[index] as ProtoKeyValue;
    if (pair.key !== other.key || !sameScalar(pair.value, other.value)) return false;
  }
  return true;
}

function sameScalar(value: ProtoAnyValue | null, other: ProtoAnyValue | null): boolean {
  if (value === null || other === null) return value === other;
  if (value.arrayValue !== null || value.kvlistValue !== null || value.bytesValue !== null) return false;
  if (other.arrayValue !== null || other.kvlistValue !== null || other.bytesValue !== null) return false;
  return (
    value.stringValue === other.stringValue &&
    value.boolValue === other.boolValue &&
    Object.is(value.doubleValue, other.doubleValue) &&
    sameInteger(value.intValue, other.intValue)
  );
}

function sameInteger(value: ProtoLong | number | null, other: ProtoLong | number | null): boolean {
  if (value === null || other === null || typeof value === "number" || typeof other === "number")
    return value === other;
  return value.low === other.low && value.high === other.high;
}

interface AttributeShape {
  /** The keys in the order the pairs give them (no duplicates, no null, no `__proto__`). */
  readonly keys: readonly string[];
  /** An object with these keys, in this order, every value null. */
  readonly object: Attributes;
}

/**
 * Span attributes built from a recent span's object with the same keys in the same order: an
 * instrumentation gives every span of one kind the same attribute names, and copying a known
 * object then setting its values costs half of adding the keys one by one (each fresh key string
 * is looked up in V8's string table and each new key moves the object to another hidden class):
 * 12.3 against 5.7 ms for 30,000 decoded spans. The pairs' keys are compared with the shape's,
 * so any other list of keys is built the plain way.
 */
class AttributeShapes {
  private readonly shapes: AttributeShape[] = [];

  of(pairs: readonly ProtoKeyValue[]): Attributes {
    for (const shape of this.shapes) {
      const keys = shape.keys;
      if (keys.length !== pairs.length) continue;
      let index = 0;
      while (index < keys.length && (pairs[index] as ProtoKeyValue).key === keys[index]) index++;
      if (index < keys.length) continue;
      const attributes: Record<string, AttributeValue> = { ...shape.object };
      for (index = 0; index < keys.length; index++)
        attributes[keys[index] as string] = anyValue((pairs[index] as ProtoKeyValue).value);
      return attributes;
    }
    const attributes = attributesOf(pairs);
    const keys = Object.keys(attributes);
    // Object.keys puts integer-like keys first; such a list then never equals the pairs' order
    // and is simply never matched.
    if (keys.length === pairs.length && !Object.hasOwn(attributes, "__proto__")) {
      if (this.shapes.length === MAX_SHAPES) this.shapes.pop();
      // A copy with every value null: the shape must not keep a span's content (a prompt can be
      // megabytes) alive for as long as the process runs.
      const object: Record<string, AttributeValue> = { ...attributes };
      for (const key of keys) object[key] = null;
      this.shapes.unshift({ keys, object });
    }
    return attributes;
  }
}

/** A handful of span kinds (agent, model call, tool, HTTP …) per instrumented service. */
const MAX_SHAPES = 8;
const spanAttributes = new AttributeShapes();

function attributesOf(pairs: readonly ProtoKeyValue[]): Attributes {
  const attributes: Record<string, AttributeValue> = {};
  for (const pair of pairs) {
    if (pair.key === null) continue;
    // defineProperty, not assignment: an attribute called __proto__ is data, not a prototype.
    if (pair.key === "__proto__")
      Object.defineProperty(attributes, pair.key, { value: anyValue(pair.value), enumerable: true });
    else attributes[pair.key] = anyValue(pair.value);
  }
  return attributes;
}

/**
 * The value of an AnyValue. Its fields are read directly, in the oneof's field order (what
 * protobufjs' `value` getter returns when several were set), not through that getter: it loops
 * over the seven field names on every call and was 4% of decoding a span.
 */
function anyValue(value: ProtoAnyValue | null): AttributeValue {
  if (value === null) return null;
  if (value.stringValue !== null) return value.stringValue;
  if (value.boolValue !== null) return value.boolValue;
  if (value.intValue !== null) return integer(value.intValue);
  if (value.doubleValue !== null) return value.doubleValue;
  if (value.arrayValue !== null) return value.arrayValue.values.map(anyValue);
  if (value.kvlistValue !== null) return attributesOf(value.kvlistValue.values);
  if (value.bytesValue !== null) return Buffer.from(value.bytesValue).toString("base64");
  return null;
}

/** A 64-bit integer as a number when exact, else as decimal text (never silently rounded). */
function integer(value: ProtoLong | number | null): number | string | null {
  if (value === null) return null;
  if (typeof value === "number") return value;
  const exact = value.toNumber();
  return Number.isSafeInteger(exact) ? exact : value.toString();
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
