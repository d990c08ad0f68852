import { SCORE_NAME_PATTERN } from "../contracts/exchange.js";

/**
 * The gate policy: guardrails a candidate must stay within, meant to live next to the release.
 * Each limit is one-sided: `max` for quantities that must not grow, `min` for ones that must not
 * fall. Deltas are candidate − baseline; ratios are candidate / baseline. A limit with
 * `action: warn` is judged and shown, never fails or holds the verdict, and is left out of the
 * multiplicity family.
 */
export const GUARDRAILS = [
  "drift_rate",
  "tool_call_success_delta",
  "refusal_rate_delta",
  "error_rate",
  "cost_per_task_ratio",
  "p95_latency_ratio",
] as const;

/** Guardrails with a target: a score or check by name, or a tool by name. */
export const TARGETED_GUARDRAILS = ["score_delta", "tool_share_delta", "tool_calls_ratio"] as const;

export type GuardrailName = (typeof GUARDRAILS)[number] | (typeof TARGETED_GUARDRAILS)[number];
export type TargetedGuardrail = (typeof TARGETED_GUARDRAILS)[number];

export type Limit = ({ readonly max: number } | { readonly min: number }) & {
  readonly action?: "fail" | "warn";
};

export type Guardrails = Readonly<Partial<Record<(typeof GUARDRAILS)[number], Limit>>> &
  Readonly<Partial<Record<TargetedGuardrail, Readonly<Record<string, Limit>>>>>;

export interface Policy {
  readonly version: 1;
  /** Sequential mode: promote only after this many consecutive looks, `minutes` apart, all promote. */
  readonly consecutive?: { readonly windows: number; readonly minutes: number };
  readonly min_pairs: number;
  readonly min_pairs_per_segment: number;
  readonly guardrails: Guardrails;
  readonly segments?: readonly {
    readonly by: string;
    readonly guardrails: Guardrails;
  }[];
}

/** One check a policy asks for: a guardrail, its target (score or tool) if any, and its limit. */
export interface PolicyCheck {
  readonly guardrail: GuardrailName;
  readonly target: string | null;
  readonly limit: Limit;
}

export function policyChecks(guardrails: Guardrails): PolicyCheck[] {
  const checks: PolicyCheck[] = [];
  for (const guardrail of GUARDRAILS) {
    const limit = guardrails[guardrail];
    if (limit !== undefined) checks.push({ guardrail, target: null, limit });
  }
  for (const guardrail of TARGETED_GUARDRAILS) {
    for (const [target, limit] of Object.entries(guardrails[guardrail] ?? {}).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      checks.push({ guardrail, target, limit });
    }
  }
  return checks;
}

const action = { enum: ["fail", "warn"] } as const;

/**
 * A one-sided limit whose value must lie in `range`: a share is within [0, 1], a difference of
 * two shares within [-1, 1], a ratio above 0. `drift_rate: {max: -1}` can never pass and
 * `cost_per_task_ratio: {max: 0}` names no cost: both are mistakes to refuse, naming the path.
 */
function limitSchema(range: Readonly<Record<string, number>>) {
  return {
    oneOf: [
      {
        type: "object",
        additionalProperties: false,
        required: ["max"],
        properties: { max: { type: "number", ...range }, action },
      },
      {
        type: "object",
        additionalProperties: false,
        required: ["min"],
        properties: { min: { type: "number", ...range }, action },
      },
    ],
  } as const;
}

const SHARE = { minimum: 0, maximum: 1 };
const SHARE_DIFFERENCE = { minimum: -1, maximum: 1 };
const RATIO = { exclusiveMinimum: 0 };
const RANGES: Readonly<Record<(typeof GUARDRAILS)[number], Readonly<Record<string, number>>>> = {
  drift_rate: SHARE,
  error_rate: SHARE,
  tool_call_success_delta: SHARE_DIFFERENCE,
  refusal_rate_delta: SHARE_DIFFERENCE,
  cost_per_task_ratio: RATIO,
  p95_latency_ratio: RATIO,
};

const guardrailsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(GUARDRAILS.map((name) => [name, limitSchema(RANGES[name])])),
    // Scores may be continuous (a reward in any unit): their deltas are not bounded here.
    score_delta: {
      type: "object",
      propertyNames: { pattern: SCORE_NAME_PATTERN },
      additionalProperties: limitSchema({}),
    },
    tool_share_delta: { type: "object", additionalProperties: limitSchema(SHARE_DIFFERENCE) },
    tool_calls_ratio: { type: "object", additionalProperties: limitSchema(RATIO) },
  },
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
