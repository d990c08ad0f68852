import type { ExchangeRecord, ToolCallStep } from "../../src/contracts/exchange.js";

/** Plain-data builders for exchange records in specs. */
export function call(name: string, args: Record<string, unknown>, turn?: number): ToolCallStep {
  return turn === undefined
    ? { type: "tool_call", name, arguments: args }
    : { type: "tool_call", name, arguments: args, turn };
}

export function record(
  overrides: {
    id?: string;
    replica?: number;
    steps?: ToolCallStep[];
    outcome?: unknown;
    output?: string | null;
    refusal?: boolean | null;
    stopReason?: string;
    error?: { type: string; message: string } | null;
    releaseId?: string;
  } = {},
): ExchangeRecord {
  return {
    schema: "shadowdiff.exchange/v1",
    id: overrides.id ?? "req-1",
    ts: "2026-11-20T09:00:00Z",
    labels: { tenant: "acme" },
    ...(overrides.replica === undefined ? {} : { replica: overrides.replica }),
    release: {
      id: overrides.releaseId ?? "sha256:base",
      model: "openai/gpt-4o-2024-08-06",
      prompt: "sha256:p",
      tools: "sha256:t",
    },
    request: { messages: [{ role: "user", content: "refund my order" }] },
    response: {
      steps: overrides.steps ?? [],
      output: overrides.output === undefined ? "done" : overrides.output,
      outcome: overrides.outcome === undefined ? { action: "refund", amount: 42 } : overrides.outcome,
      refusal: overrides.refusal === undefined ? false : overrides.refusal,
      ...(overrides.stopReason === undefined ? {} : { stop_reason: overrides.stopReason }),
      usage: { input_tokens: 100, output_tokens: 20 },
      latency_ms: 1200,
      error: overrides.error ?? null,
    },
  };
}
