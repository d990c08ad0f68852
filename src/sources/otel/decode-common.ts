import { describeLocation, ShadowdiffError } from "../../contracts/errors.js";
import type { OtlpBatch } from "./span.js";

/** Where an OTLP payload came from: a file and line, an HTTP request, a Kafka message. */
export interface OtlpOrigin {
  readonly source: string;
  readonly line?: number;
}

/**
 * A decoded request: the usable spans and log records, and each span or record that was refused
 * (no trace id, a span id of the wrong length …) with its JSON path, so a receiver can answer
 * with `partial_success` and keep the rest. A payload that cannot be read at all is `ok: false`.
 */
export type OtlpDecode =
  | { readonly ok: true; readonly batch: OtlpBatch; readonly rejected: readonly ShadowdiffError[] }
  | { readonly ok: false; readonly error: ShadowdiffError };

export function otlpError(origin: OtlpOrigin, path: string | undefined, what: string): ShadowdiffError {
  const context = { ...origin, ...(path === undefined ? {} : { path }) };
  const at = path === undefined ? "" : ` at ${path}`;
  return new ShadowdiffError("INVALID_OTLP", `${describeLocation(context)}: ${what}${at}`, { context });
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export function bytesToHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += HEX[byte];
  return hex;
}

const ALL_ZERO = /^0*$/;

/**
 * Checks a trace or span id (hex) and says what is wrong with it, or undefined when it is fine.
 * OTLP says an all-zero id is invalid, the same as a missing one.
 */
export function idProblem(hex: string, bytes: 8 | 16, name: string): string | undefined {
  if (hex.length === 0) return `span has no ${name}`;
  if (hex.length !== bytes * 2 || !/^[0-9a-f]+$/.test(hex))
    return `${name} must be ${bytes} bytes (${bytes * 2} hex digits), got ${JSON.stringify(hex.slice(0, 40))}`;
  if (ALL_ZERO.test(hex)) return `${name} is all zeros (invalid in OTLP)`;
  return undefined;
}

/** True when a payload is OTLP JSON: its first non-whitespace byte is `{`; else it is protobuf. */
export function looksLikeJson(payload: Uint8Array): boolean {
  // An index loop: Buffer's iterator cost a sixth as much as converting the span (bench/otel).
  for (let index = 0; index < payload.length; index++) {
    const byte = payload[index];
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x7b;
  }
  return false;
}

/** idProblem for raw protobuf bytes: the hex is well formed by construction, so only length and zeros. */
export function bytesIdProblem(bytes: Uint8Array | null, length: 8 | 16, name: string): string | undefined {
  if (bytes === null || bytes.length === 0) return `span has no ${name}`;
  if (bytes.length !== length) return `${name} must be ${length} bytes, got ${bytes.length}`;
  for (let index = 0; index < length; index++) if (bytes[index] !== 0) return undefined;
  return `${name} is all zeros (invalid in OTLP)`;
}
