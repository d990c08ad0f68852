import { createRequire } from "node:module";

/**
 * The OTLP request messages, as protobufjs code that the OpenTelemetry JS project generated from
 * the official opentelemetry-proto definitions and ships in @opentelemetry/otlp-transformer
 * (pinned at 0.214.0: later releases keep only the metrics messages). The module is CommonJS
 * and untyped, so it is loaded with require and given the narrow types below, which name only
 * the fields shadowdiff reads. protobufjs decodes with prototype defaults of null (the generator's
 * --null-defaults), so an absent field reads as null, never as a stale value.
 */

/** protobufjs' 64-bit integer (the `long` package), as the decoder returns it. */
export interface ProtoLong {
  readonly low: number;
  readonly high: number;
  readonly unsigned: boolean;
  toString(): string;
  toNumber(): number;
}

export interface ProtoAnyValue {
  /** The oneof's set field name, or undefined when none is. */
  readonly value?: string;
  readonly stringValue: string | null;
  readonly boolValue: boolean | null;
  readonly intValue: ProtoLong | number | null;
  readonly doubleValue: number | null;
  readonly arrayValue: { readonly values: readonly ProtoAnyValue[] } | null;
  readonly kvlistValue: { readonly values: readonly ProtoKeyValue[] } | null;
  readonly bytesValue: Uint8Array | null;
}

export interface ProtoKeyValue {
  readonly key: string | null;
  readonly value: ProtoAnyValue | null;
}

interface ProtoResource {
  readonly attributes: readonly ProtoKeyValue[];
}

interface ProtoScope {
  readonly name: string | null;
  readonly version: string | null;
}

export interface ProtoSpan {
  readonly traceId: Uint8Array | null;
  readonly spanId: Uint8Array | null;
  readonly parentSpanId: Uint8Array | null;
  readonly name: string | null;
  readonly kind: number | null;
  readonly startTimeUnixNano: ProtoLong | number | null;
  readonly endTimeUnixNano: ProtoLong | number | null;
  readonly attributes: readonly ProtoKeyValue[];
  readonly events: readonly {
    readonly timeUnixNano: ProtoLong | number | null;
    readonly name: string | null;
    readonly attributes: readonly ProtoKeyValue[];
  }[];
  readonly status: { readonly code: number | null; readonly message: string | null } | null;
}

export interface ProtoTraceRequest {
  readonly resourceSpans: readonly {
    readonly resource: ProtoResource | null;
    readonly scopeSpans: readonly {
      readonly scope: ProtoScope | null;
      readonly spans: readonly ProtoSpan[];
    }[];
  }[];
}

export interface ProtoLogRecord {
  readonly timeUnixNano: ProtoLong | number | null;
  readonly observedTimeUnixNano: ProtoLong | number | null;
  readonly body: ProtoAnyValue | null;
  readonly attributes: readonly ProtoKeyValue[];
  readonly traceId: Uint8Array | null;
  readonly spanId: Uint8Array | null;
  readonly eventName: string | null;
}

export interface ProtoLogsRequest {
  readonly resourceLogs: readonly {
    readonly resource: ProtoResource | null;
    readonly scopeLogs: readonly { readonly logRecords: readonly ProtoLogRecord[] }[];
  }[];
}

interface MessageType<T> {
  decode(bytes: Uint8Array): T;
  encode(message: unknown): { finish(): Uint8Array };
}

interface GeneratedRoot {
  readonly opentelemetry: {
    readonly proto: {
      readonly collector: {
        readonly trace: {
          readonly v1: {
            readonly ExportTraceServiceRequest: MessageType<ProtoTraceRequest>;
            readonly ExportTraceServiceResponse: MessageType<unknown>;
          };
        };
        readonly logs: {
          readonly v1: {
            readonly ExportLogsServiceRequest: MessageType<ProtoLogsRequest>;
            readonly ExportLogsServiceResponse: MessageType<unknown>;
          };
        };
      };
    };
  };
}

const generated = createRequire(import.meta.url)(
  "@opentelemetry/otlp-transformer/build/src/generated/root.js",
) as GeneratedRoot;

export const ExportTraceServiceRequest =
  generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
export const ExportTraceServiceResponse =
  generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
export const ExportLogsServiceRequest =
  generated.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
export const ExportLogsServiceResponse =
  generated.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
