/**
 * Every error shadowdiff raises on purpose carries a stable `code` (what callers match on, never
 * the message), a `retriable` flag where a retry could help, and the context a person needs to fix
 * the input: which file and line, which record id, which JSON path, what was expected.
 */
export type ErrorCode =
  | "INVALID_RECORD"
  | "INVALID_JSON"
  | "INVALID_OTLP"
  | "UNUSABLE_TRACE"
  | "DUPLICATE_ID"
  | "INVALID_RULES"
  | "INVALID_MANIFEST"
  | "INVALID_POLICY"
  | "FILE_NOT_FOUND"
  | "BAD_USAGE"
  | "STORE_UNAVAILABLE"
  | "STORE_QUERY_FAILED"
  | "SOURCE_UNAVAILABLE"
  | "PROVIDER_FAILED";

export interface ErrorContext {
  /** File path or source name (`captures/b.jsonl`, `kafka:topic/3`). */
  readonly source?: string;
  /** 1-based line number within the source. */
  readonly line?: number;
  /** Request id of the record concerned. */
  readonly recordId?: string;
  /** JSON pointer inside the record or document (`/response/steps/2/arguments`). */
  readonly path?: string;
}

export class ShadowdiffError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly context: ErrorContext;
  /**
   * The message for someone outside the operator's side (a `serve` client), when the full one
   * names what only the operator may see (the store's release list); the message otherwise.
   */
  readonly publicMessage: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: { context?: ErrorContext; retriable?: boolean; cause?: unknown; publicMessage?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ShadowdiffError";
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
    this.publicMessage = options.publicMessage ?? message;
  }
}

/** `captures/b.jsonl:812 (id req-77)`: the prefix every located message starts with. */
export function describeLocation(context: ErrorContext): string {
  let where = context.source ?? "<input>";
  if (context.line !== undefined) where += `:${context.line}`;
  // The id is the record's own text: printable, so it cannot forge or hide what follows.
  if (context.recordId !== undefined) where += ` (id ${printable(context.recordId)})`;
  return where;
}

// C0 and C1 controls (newlines, ESC), and the bidi controls that make text read otherwise.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a record, made safe to print in a one-line message: controls become `\u001b`-style
 * escapes, so a hostile id or value cannot forge a log line, move the terminal's cursor or
 * reverse what a reader sees.
 */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function isShadowdiffError(error: unknown): error is ShadowdiffError {
  return error instanceof ShadowdiffError;
}
