/**
 * The one shape OTLP spans and log records take inside shadowdiff, whether they arrived as
 * protobuf or as OTLP JSON: ids as lowercase hex, times as bigint nanoseconds (a Unix time in ns
 * is past 2^53, so a number would round it), attribute values as plain JSON-like data.
 */

/** An OTLP `AnyValue` as plain data; bytes become base64 text, 64-bit ints past 2^53 decimal text. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export type Attributes = Readonly<Record<string, AttributeValue>>;

/** OTLP `Status.StatusCode`: 0 unset, 1 ok, 2 error. */
export type StatusCode = 0 | 1 | 2;
export const STATUS_ERROR: StatusCode = 2;

export interface SpanEvent {
  readonly name: string;
  readonly timeNs: bigint;
  readonly attributes: Attributes;
}

export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
}

export interface OtelSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** null for a trace's root span. */
  readonly parentSpanId: string | null;
  readonly name: string;
  /** OTLP `SpanKind` (0 unspecified … 5 consumer). */
  readonly kind: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly attributes: Attributes;
  readonly events: readonly SpanEvent[];
  readonly status: { readonly code: StatusCode; readonly message: string };
  readonly resource: Attributes;
  readonly scope: InstrumentationScope;
}

/**
 * An OTel log record tied to a span. `@opentelemetry/instrumentation-openai` writes prompt and
 * completion content only as log events (`gen_ai.user.message`, `gen_ai.choice`, … with the
 * content in the body), never on the span, so traces are joined with these by trace and span id.
 */
export interface OtelLogRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly timeNs: bigint;
  /** `LogRecord.event_name`, else the `event.name` attribute older SDKs set. */
  readonly eventName: string;
  readonly attributes: Attributes;
  readonly body: AttributeValue;
  readonly resource: Attributes;
}

/** What one OTLP export request holds, decoded: spans, log records, or both across messages. */
export interface OtlpBatch {
  readonly spans: readonly OtelSpan[];
  readonly logs: readonly OtelLogRecord[];
}

/**
 * An object whose keys are set one by one, in the order its JSON must keep, and cast once
 * complete: the mapping builds records this way because conditional spreads
 * (`...(x === undefined ? {} : { x })`) take V8's generic object-copy path (bench/otel).
 */
export type Building<T> = { -readonly [K in keyof T]?: T[K] };
