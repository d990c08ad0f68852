/**
 * The gate policy: guardrails a candidate must stay within, meant to live next to the release.
 * Each limit is one-sided: `max` for quantities that must not grow, `min` for ones that must not
 * fall. Deltas are candidate − baseline; ratios are candidate / baseline.
 */
export const GUARDRAILS = [
  "drift_rate",
  "tool_call_success_delta",
  "refusal_rate_delta",
  "error_rate",
  "cost_per_task_ratio",
  "p95_latency_ratio",
] as const;

export type GuardrailName = (typeof GUARDRAILS)[number];

export type Limit = { readonly max: number } | { readonly min: number };

export interface Policy {
  readonly version: 1;
  /** Sequential mode: promote only after this many consecutive looks, `minutes` apart, all promote. */
  readonly consecutive?: { readonly windows: number; readonly minutes: number };
  readonly min_pairs: number;
  readonly min_pairs_per_segment: number;
  readonly guardrails: Readonly<Partial<Record<GuardrailName, Limit>>>;
  readonly segments?: readonly {
    readonly by: string;
    readonly guardrails: Readonly<Partial<Record<GuardrailName, Limit>>>;
  }[];
}

const limitSchema = {
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: ["max"],
      properties: { max: { type: "number" } },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["min"],
      properties: { min: { type: "number" } },
    },
  ],
} as const;

const guardrailsSchema = {
  type: "object",
  additionalProperties: false,
  properties: Object.fromEntries(GUARDRAILS.map((name) => [name, limitSchema])),
} as const;

export const policyJsonSchema = {
  $id: "https://shadowdiff.dev/schemas/gate-policy.json",
  type: "object",
  additionalProperties: false,
  required: ["version", "guardrails"],
  properties: {
    version: { const: 1 },
    min_pairs: { type: "integer", minimum: 1 },
    min_pairs_per_segment: { type: "integer", minimum: 1 },
    consecutive: {
      type: "object",
      additionalProperties: false,
      required: ["windows", "minutes"],
      properties: {
        windows: { type: "integer", minimum: 1, maximum: 100 },
        minutes: { type: "number", exclusiveMinimum: 0 },
      },
    },
    guardrails: guardrailsSchema,
    segments: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["by", "guardrails"],
        properties: { by: { type: "string", pattern: "^[A-Za-z0-9_.-]+$" }, guardrails: guardrailsSchema },
      },
    },
  },
} as const;
