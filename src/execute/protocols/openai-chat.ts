import type { ExchangeRecord } from "../../contracts/exchange.js";
import type { ResolvedRelease } from "../../contracts/release.js";
import type { ModelTurn } from "../agent-run.js";
import type { Conversation, Protocol } from "../protocol.js";
import { type ProviderEndpoint, postJson } from "../provider-http.js";

interface ChatCompletion {
  readonly choices: readonly {
    readonly finish_reason: string;
    readonly message: {
      readonly content: string | null;
      readonly refusal?: string | null;
      readonly tool_calls?: readonly {
        readonly id: string;
        readonly function: { readonly name: string; readonly arguments: string };
      }[];
    };
  }[];
  readonly usage?: {
    readonly prompt_tokens: number;
    readonly completion_tokens: number;
    readonly prompt_tokens_details?: { readonly cached_tokens?: number };
  };
}

/** OpenAI-compatible Chat Completions with function calling (`tools`, `tool_calls`, `tool` messages). */
export const openAiProtocol: Protocol = {
  name: "openai",
  start(release: ResolvedRelease, baseline: ExchangeRecord): Conversation {
    const messages: Record<string, unknown>[] = [
      { role: "system", content: release.prompt },
      ...baseline.request.messages
        .filter((message) => message.role !== "system")
        .map((message) => ({ ...message })),
    ];
    const tools = Object.entries(release.tools).map(([name, tool]) => ({
      type: "function",
      function: {
        name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
      },
    }));
    return {
      async call(endpoint: ProviderEndpoint): Promise<ModelTurn> {
        const body = { model: release.model.snapshot, messages, tools, ...release.config };
        const auth: Record<string, string> = endpoint.apiKey
          ? { authorization: `Bearer ${endpoint.apiKey}` }
          : {};
        const completion = (await postJson(endpoint, "/v1/chat/completions", body, auth)) as ChatCompletion;
        const choice = completion.choices[0];
        const usage = {
          input_tokens: completion.usage?.prompt_tokens ?? 0,
          output_tokens: completion.usage?.completion_tokens ?? 0,
          cached_input_tokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
        };
        const toolCalls = choice?.message.tool_calls ?? [];
        if (toolCalls.length > 0) {
          messages.push({
            role: "assistant",
            content: null,
            tool_calls: toolCalls.map((call) => ({ ...call, type: "function" })),
          });
          return {
            kind: "tools",
            calls: toolCalls.map((call) => ({
              id: call.id,
              name: call.function.name,
              args: parseArguments(call.function.arguments),
            })),
            usage,
          };
        }
        const refusal = choice?.message.refusal ?? null;
        return {
          kind: "final",
          text: refusal ?? choice?.message.content ?? "",
          refusal: refusal !== null || choice?.finish_reason === "content_filter",
          stopReason: choice?.finish_reason ?? "unknown",
          usage,
        };
      },
      answer(_turn, results) {
        for (const result of results)
          messages.push({ role: "tool", tool_call_id: result.id, content: result.content });
      },
    };
  },
};

/** Tool arguments arrive as a JSON string; a model that writes broken JSON gets it kept as text. */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { _raw: text };
  } catch {
    return { _raw: text };
  }
}
