import type { ExchangeRecord } from "../../contracts/exchange.js";
import type { ResolvedRelease } from "../../contracts/release.js";
import type { ModelTurn } from "../agent-run.js";
import type { Conversation, Protocol } from "../protocol.js";
import { type ProviderEndpoint, postJson } from "../provider-http.js";

type Block =
  | { readonly type: "text"; readonly text: string }
  | {
      readonly type: "tool_use";
      readonly id: string;
      readonly name: string;
      readonly input: Record<string, unknown>;
    };

interface MessagesResponse {
  readonly content: readonly Block[];
  readonly stop_reason: string;
  readonly usage?: {
    readonly input_tokens: number;
    readonly output_tokens: number;
    readonly cache_read_input_tokens?: number;
  };
}

/** Anthropic Messages with tools (`tool_use` blocks answered by `tool_result` blocks). */
export const anthropicProtocol: Protocol = {
  name: "anthropic",
  start(release: ResolvedRelease, baseline: ExchangeRecord): Conversation {
    const messages: { role: string; content: unknown }[] = baseline.request.messages
      .filter((message) => message.role !== "system")
      .map((message) => ({ role: message.role, content: message.content }));
    const tools = Object.entries(release.tools).map(([name, tool]) => ({
      name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      input_schema: tool.parameters,
    }));
    return {
      async call(endpoint: ProviderEndpoint): Promise<ModelTurn> {
        const body = {
          model: release.model.snapshot,
          system: release.prompt,
          messages,
          tools,
          max_tokens: Number(release.config.max_tokens ?? 1024),
          ...Object.fromEntries(
            Object.entries(release.config).filter(
              ([key]) => key !== "max_tokens" && key !== "parallel_tool_calls",
            ),
          ),
        };
        const auth: Record<string, string> = endpoint.apiKey
          ? { "x-api-key": endpoint.apiKey, "anthropic-version": "2023-06-01" }
          : { "anthropic-version": "2023-06-01" };
        const reply = (await postJson(endpoint, "/v1/messages", body, auth)) as MessagesResponse;
        const usage = {
          input_tokens: reply.usage?.input_tokens ?? 0,
          output_tokens: reply.usage?.output_tokens ?? 0,
          cached_input_tokens: reply.usage?.cache_read_input_tokens ?? 0,
        };
        const toolUses = reply.content.filter(
          (block): block is Extract<Block, { type: "tool_use" }> => block.type === "tool_use",
        );
        if (toolUses.length > 0) {
          messages.push({ role: "assistant", content: reply.content });
          return {
            kind: "tools",
            calls: toolUses.map((block) => ({ id: block.id, name: block.name, args: block.input })),
            usage,
          };
        }
        const text = reply.content
          .filter((block): block is Extract<Block, { type: "text" }> => block.type === "text")
          .map((block) => block.text)
          .join("");
        return {
          kind: "final",
          text,
          refusal: reply.stop_reason === "refusal",
          stopReason: reply.stop_reason,
          usage,
        };
      },
      answer(_turn, results) {
        messages.push({
          role: "user",
          content: results.map((result) => ({
            type: "tool_result",
            tool_use_id: result.id,
            content: result.content,
            ...(result.isError ? { is_error: true } : {}),
          })),
        });
      },
    };
  },
};
