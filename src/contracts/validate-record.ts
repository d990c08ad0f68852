import { compileContract, firstErrorPath, formatSchemaErrors } from "./ajv.js";
import { describeLocation, printable, ShadowdiffError } from "./errors.js";
import { type ExchangeRecord, exchangeJsonSchema } from "./exchange.js";
import { MAX_JSON_DEPTH, textNestsDeeper, valueNestsDeeper } from "./json-depth.js";

const validateExchange = compileContract<ExchangeRecord>(exchangeJsonSchema);

export type RecordParse =
  | { readonly ok: true; readonly record: ExchangeRecord }
  | { readonly ok: false; readonly error: ShadowdiffError };

/** Where a line came from: used to locate every error message. */
export interface LineOrigin {
  readonly source: string;
  readonly line: number;
}

/**
 * Parses and validates one JSONL line (or Kafka message value). Never throws: an invalid line is a
 * value the caller routes to a dead-letter place, because one bad record must not stop a stream.
 */
export function parseExchangeLine(text: string, origin: LineOrigin): RecordParse {
  if (textNestsDeeper(text)) return tooDeep(origin, readIdFromText(text));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new ShadowdiffError(
      "INVALID_JSON",
      `${describeLocation(origin)}: not valid JSON (${printable(reason)})`,
      {
        context: origin,
        cause,
      },
    );
    return { ok: false, error };
  }
  return validateExchange(value) ? { ok: true, record: value } : invalid(value, origin);
}

/** Validates a record that arrived as a value (already parsed, from a converter or a test). */
export function validateExchangeValue(value: unknown, origin: LineOrigin): RecordParse {
  if (valueNestsDeeper(value)) return tooDeep(origin, readId(value));
  return validateExchange(value) ? { ok: true, record: value } : invalid(value, origin);
}

function invalid(value: unknown, origin: LineOrigin): RecordParse {
  const recordId = readId(value);
  const context = {
    ...origin,
    path: firstErrorPath(validateExchange.errors),
    ...(recordId ? { recordId } : {}),
  };
  const message = `${describeLocation(context)}: ${printable(formatSchemaErrors(validateExchange.errors))}`;
  return { ok: false, error: new ShadowdiffError("INVALID_RECORD", message, { context }) };
}

function readId(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" && id.length > 0 ? id : undefined;
}

function tooDeep(origin: LineOrigin, recordId: string | undefined): RecordParse {
  const context = { ...origin, ...(recordId ? { recordId } : {}) };
  return {
    ok: false,
    error: new ShadowdiffError(
      "INVALID_RECORD",
      `${describeLocation(context)}: nested deeper than ${MAX_JSON_DEPTH} levels (the limit for a record)`,
      { context },
    ),
  };
}

/** The record's id from text too deep to parse, when it comes before the deep part. */
function readIdFromText(text: string): string | undefined {
  return /"id"\s*:\s*"([^"\\]{1,200})"/.exec(text.slice(0, 4096))?.[1];
}
