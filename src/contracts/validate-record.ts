import { compileContract, firstErrorPath, formatSchemaErrors } from "./ajv.js";
import { describeLocation, ShadowdiffError } from "./errors.js";
import { type ExchangeRecord, exchangeJsonSchema } from "./exchange.js";

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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new ShadowdiffError(
      "INVALID_JSON",
      `${describeLocation(origin)}: not valid JSON (${reason})`,
      {
        context: origin,
        cause,
      },
    );
    return { ok: false, error };
  }
  return validateExchangeValue(value, origin);
}

export function validateExchangeValue(value: unknown, origin: LineOrigin): RecordParse {
  if (validateExchange(value)) return { ok: true, record: value };
  const recordId = readId(value);
  const context = {
    ...origin,
    path: firstErrorPath(validateExchange.errors),
    ...(recordId ? { recordId } : {}),
  };
  const message = `${describeLocation(context)}: ${formatSchemaErrors(validateExchange.errors)}`;
  return { ok: false, error: new ShadowdiffError("INVALID_RECORD", message, { context }) };
}

function readId(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" && id.length > 0 ? id : undefined;
}
