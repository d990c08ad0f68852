import type { Usage } from "./exchange.js";

/** USD per million tokens for one model snapshot. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cached_input?: number;
}

export interface PricingTable {
  readonly version: number;
  readonly currency: string;
  readonly models: Readonly<Record<string, ModelPrice>>;
}

export type Cost = { readonly priced: true; readonly usd: number } | { readonly priced: false };

const PER_MILLION = 1_000_000;

/**
 * Cost of one request. Cached input tokens are a part of the input tokens, billed at the cached
 * price (the providers report them that way); without a cached price they bill as input.
 */
export function requestCost(pricing: PricingTable, model: string, usage: Usage): Cost {
  // Own entries only: a model named `constructor` or `__proto__` is not in the table.
  const price = Object.hasOwn(pricing.models, model) ? pricing.models[model] : undefined;
  if (price === undefined) return { priced: false };
  const cached = Math.min(usage.cached_input_tokens ?? 0, usage.input_tokens);
  const cachedPrice = price.cached_input ?? price.input;
  const usd =
    ((usage.input_tokens - cached) * price.input +
      cached * cachedPrice +
      usage.output_tokens * price.output) /
    PER_MILLION;
  return { priced: true, usd };
}

export const pricingJsonSchema = {
  $id: "https://shadowdiff.dev/schemas/pricing.json",
  type: "object",
  additionalProperties: false,
  required: ["models"],
  properties: {
    version: { type: "integer" },
    currency: { const: "USD" },
    models: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["input", "output"],
        properties: {
          input: { type: "number", minimum: 0 },
          output: { type: "number", minimum: 0 },
          cached_input: { type: "number", minimum: 0 },
        },
      },
    },
  },
} as const;
