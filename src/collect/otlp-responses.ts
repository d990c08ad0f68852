import protobuf from "protobufjs";
import { ExportLogsServiceResponse, ExportTraceServiceResponse } from "../sources/otel/otlp-messages.js";

export type OtlpEncoding = "protobuf" | "json";
export type OtlpPath = "/v1/traces" | "/v1/logs";

export interface OtlpReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

const CONTENT_TYPE: Readonly<Record<OtlpEncoding, string>> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

/**
 * A 200 answer as OTLP/HTTP specifies: an empty `Export…ServiceResponse`, or one with
 * `partial_success` counting what was refused and saying why, in the encoding of the request.
 */
export function successReply(
  path: OtlpPath,
  encoding: OtlpEncoding,
  rejected: number,
  message: string,
): OtlpReply {
  const counted = path === "/v1/traces" ? "rejectedSpans" : "rejectedLogRecords";
  const partial = rejected === 0 ? {} : { partialSuccess: { [counted]: rejected, errorMessage: message } };
  if (encoding === "json") {
    // OTLP JSON writes int64 as a decimal string.
    const json =
      rejected === 0 ? {} : { partialSuccess: { [counted]: String(rejected), errorMessage: message } };
    return reply(200, encoding, Buffer.from(JSON.stringify(json)));
  }
  const type = path === "/v1/traces" ? ExportTraceServiceResponse : ExportLogsServiceResponse;
  return reply(200, encoding, type.encode(partial).finish());
}

/**
 * An error answer: a `google.rpc.Status` (code, message) in the request's encoding, as OTLP/HTTP
 * asks. The Status message has two fields, written with protobufjs' writer (field 1 varint code,
 * field 2 string message), because no OTLP package ships the google.rpc types. protobufjs is a
 * direct dependency for this writer alone: the generated OTLP code uses its own nested copy.
 */
export function errorReply(
  status: number,
  encoding: OtlpEncoding,
  message: string,
  headers?: Readonly<Record<string, string>>,
): OtlpReply {
  const code = status === 413 ? 8 : status === 429 || status === 503 ? 14 : 3; // RESOURCE_EXHAUSTED, UNAVAILABLE, INVALID_ARGUMENT
  const body =
    encoding === "json"
      ? Buffer.from(JSON.stringify({ code, message }))
      : protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
  return { ...reply(status, encoding, body), ...(headers === undefined ? {} : { headers }) };
}

function reply(status: number, encoding: OtlpEncoding, body: Uint8Array): OtlpReply {
  return { status, contentType: CONTENT_TYPE[encoding], body };
}
