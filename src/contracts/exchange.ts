/** The exchange record `shadowdiff.exchange/v1`: one request and what one release did with it. */

export const EXCHANGE_SCHEMA_ID = "shadowdiff.exchange/v1";

export interface ReleaseStamp {
  /** Content id of the release manifest (`sha256:…`). */
  readonly id: string;
  readonly name?: string;
  readonly version?: string;
  /** Pinned model snapshot, `provider/snapshot` (`openai/gpt-4o-2024-08-06`). */
  readonly model: string;
  /** Digest of the resolved prompt. */
  readonly prompt: string;
  /** Digest of the tool schemas. */
  readonly tools: string;
}

export interface Message {
  readonly role: string;
  readonly content: unknown;
}

export interface ToolCallStep {
  readonly type: "tool_call";
  readonly id?: string;
  /** Calls sharing a turn were issued together (parallel): their order carries no meaning. */
  readonly turn?: number;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
  readonly result?: unknown;
  readonly error?: unknown;
}

export interface Usage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cached_input_tokens?: number;
}

export interface RunError {
  readonly type: string;
  readonly message: string;
}

export interface ExchangeResponse {
  readonly steps: readonly ToolCallStep[];
  readonly output: string | null;
  readonly outcome: unknown;
  /** null when the producer does not know: refusal detectors then decide. */
  readonly refusal: boolean | null;
  readonly stop_reason?: string | null;
  readonly usage: Usage;
  readonly latency_ms: number;
  readonly error: RunError | null;
  /**
   * Scores written upstream (an environment's reward, an online evaluator, a sandbox's task
   * check): name → number, or a boolean (true = 1). Higher is better unless the rules say not.
   */
  readonly scores?: Readonly<Record<string, number | boolean>>;
}

export interface ExchangeRecord {
  readonly schema: typeof EXCHANGE_SCHEMA_ID;
  readonly id: string;
  readonly session?: string;
  readonly ts: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly replica?: number;
  readonly release: ReleaseStamp;
  readonly request: { readonly messages: readonly Message[]; readonly metadata?: Record<string, unknown> };
  readonly response: ExchangeResponse;
}

const nonEmptyString = { type: "string", minLength: 1 } as const;

/** Score and check names: plain identifiers, so they can name a policy key and a report field. */
export const SCORE_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_.-]{0,63}$";

/**
 * JSON Schema of the exchange record. Unknown top-level fields are rejected so that a typo
 * (`lables`) is caught at the edge instead of silently dropping a segment; free-form data belongs
 * in `request.metadata`.
 */
/** The most tool calls one record may hold (a stated limit; a longer record is refused, located). */
export const MAX_STEPS = 1_000;

export const exchangeJsonSchema = {
  $id: "https://shadowdiff.dev/schemas/exchange-v1.json",
  type: "object",
  additionalProperties: false,
  required: ["schema", "id", "ts", "release", "request", "response"],
  properties: {
    schema: { const: EXCHANGE_SCHEMA_ID },
    id: nonEmptyString,
    session: { type: "string" },
    ts: { type: "string", format: "date-time" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    replica: { type: "integer", minimum: 0 },
    release: {
      type: "object",
      additionalProperties: false,
      required: ["id", "model", "prompt", "tools"],
      properties: {
        id: nonEmptyString,
        name: { type: "string" },
        version: { type: "string" },
        model: nonEmptyString,
        prompt: { type: "string" },
        tools: { type: "string" },
      },
    },
    request: {
      type: "object",
      additionalProperties: false,
      required: ["messages"],
      properties: {
        messages: {
          type: "array",
          items: {
            type: "object",
            required: ["role", "content"],
            properties: { role: nonEmptyString, content: {} },
          },
        },
        metadata: { type: "object" },
      },
    },
    response: {
      type: "object",
      additionalProperties: false,
      required: ["steps", "output", "outcome", "refusal", "usage", "latency_ms", "error"],
      properties: {
        steps: {
          type: "array",
          // Matching calls is quadratic in the calls of a turn: 5,000 a side took 2.5 s a pair
          // (hours at the record bound). No agent we know makes a thousand calls on one request.
          maxItems: MAX_STEPS,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["type", "name", "arguments"],
            properties: {
              type: { const: "tool_call" },
              id: { type: "string" },
              turn: { type: "integer", minimum: 0 },
              name: nonEmptyString,
              arguments: { type: "object" },
              result: {},
              error: {},
            },
          },
        },
        output: { type: ["string", "null"] },
        outcome: {},
        refusal: { type: ["boolean", "null"] },
        stop_reason: { type: ["string", "null"] },
        usage: {
          type: "object",
          additionalProperties: false,
          required: ["input_tokens", "output_tokens"],
          properties: {
            input_tokens: { type: "integer", minimum: 0 },
            output_tokens: { type: "integer", minimum: 0 },
            cached_input_tokens: { type: "integer", minimum: 0 },
          },
        },
        latency_ms: { type: "number", minimum: 0 },
        scores: {
          type: "object",
          propertyNames: { pattern: SCORE_NAME_PATTERN },
          additionalProperties: { type: ["number", "boolean"] },
        },
        error: {
          type: ["object", "null"],
          required: ["type", "message"],
          properties: { type: { type: "string" }, message: { type: "string" } },
        },
      },
    },
  },
} as const;

/** The key a pair is joined on: the baseline request id and the replica. */
export function pairKey(record: Pick<ExchangeRecord, "id" | "replica">): string {
  return record.replica ? `${record.id}#${record.replica}` : record.id;
}
