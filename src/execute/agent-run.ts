import type { ExchangeResponse, ToolCallStep, Usage } from "../contracts/exchange.js";

/** What one model call decided: tool calls to answer, or a final answer. */
export type ModelTurn =
  | {
      readonly kind: "tools";
      readonly calls: readonly {
        readonly id: string;
        readonly name: string;
        readonly args: Record<string, unknown>;
      }[];
      readonly usage: Usage;
    }
  | {
      readonly kind: "final";
      readonly text: string;
      readonly refusal: boolean;
      readonly stopReason: string;
      readonly usage: Usage;
    };

/**
 * Splits a final answer into the text shown to the user and the structured outcome: an answer
 * that ends with a fenced ```json block commits to that object as its outcome.
 */
export function splitOutcome(text: string): { output: string; outcome: unknown } {
  const match = /\n?```json\n([\s\S]*?)\n```\s*$/.exec(text);
  if (match === null) return { output: text, outcome: null };
  try {
    return { output: text.slice(0, match.index).trim(), outcome: JSON.parse(match[1] as string) as unknown };
  } catch {
    return { output: text, outcome: null };
  }
}

export function addUsage(total: Usage, more: Usage): Usage {
  return {
    input_tokens: total.input_tokens + more.input_tokens,
    output_tokens: total.output_tokens + more.output_tokens,
    cached_input_tokens: (total.cached_input_tokens ?? 0) + (more.cached_input_tokens ?? 0),
  };
}

export function finalResponse(
  steps: ToolCallStep[],
  turn: Extract<ModelTurn, { kind: "final" }>,
  usage: Usage,
  latencyMs: number,
): ExchangeResponse {
  const { output, outcome } = splitOutcome(turn.text);
  return {
    steps,
    output: turn.refusal ? turn.text : output,
    outcome: turn.refusal ? null : outcome,
    refusal: turn.refusal,
    stop_reason: turn.stopReason,
    usage,
    latency_ms: latencyMs,
    error: null,
  };
}
