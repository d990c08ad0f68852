import { looksLikeJson, type OtlpDecode, type OtlpOrigin } from "./decode-common.js";
import { decodeJsonOtlp } from "./decode-json.js";
import { decodeProtobufLogs, decodeProtobufTraces } from "./decode-protobuf.js";

export type { OtlpDecode, OtlpOrigin } from "./decode-common.js";

/** What the payload is meant to hold; JSON says so itself, protobuf needs the caller's word. */
export type OtlpSignal = "traces" | "logs";

/**
 * One OTLP export request, protobuf or JSON, detected by its first byte: JSON starts with `{`
 * after whitespace, while a protobuf request starts with a field tag (0x0a for field 1), never
 * 0x7b, which would be field 15 with a deprecated wire type. Never throws.
 */
export function decodeOtlp(payload: Uint8Array, signal: OtlpSignal, origin: OtlpOrigin): OtlpDecode {
  if (looksLikeJson(payload)) return decodeJsonOtlp(Buffer.from(payload).toString("utf8"), origin);
  return signal === "traces" ? decodeProtobufTraces(payload, origin) : decodeProtobufLogs(payload, origin);
}
