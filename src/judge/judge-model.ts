import { ShadowdiffError } from "../contracts/errors.js";
import type { ResolvedRelease } from "../contracts/release.js";
import { type ProviderEndpoint, postJson, withRetries } from "../execute/provider-http.js";
import type { AskJudge, JudgeMessage } from "./ask-both-ways.js";

interface ChatReply {
  readonly choices?: readonly { readonly message?: { readonly content?: string | null } }[];
  readonly usage?: { readonly prompt_tokens?: number; readonly completion_tokens?: number };
}

interface MessagesReply {
  readonly content?: readonly { readonly type: string; readonly text?: string }[];
  readonly usage?: { readonly input_tokens?: number; readonly output_tokens?: number };
}

/**
 * The judge model over the same provider protocols as executed candidates (OpenAI-compatible Chat
 * Completions, Anthropic Messages), through the same POST (credentials scrubbed from every
 * message) and retry code. No tools: a judge only reads and answers.
 */
export function judgeModel(
  judge: ResolvedRelease,
  endpoint: ProviderEndpoint,
  retry: { readonly retries: number },
): AskJudge {
  const protocol = String(judge.endpoint.protocol ?? judge.model.provider);
  if (protocol !== "openai" && protocol !== "anthropic") {
    throw new ShadowdiffError(
      "BAD_USAGE",
      `${judge.source}: /endpoint/protocol: a judge speaks openai or anthropic, not '${protocol}'`,
      { context: { source: judge.source, path: "/endpoint/protocol" } },
    );
  }
  const call = protocol === "openai" ? openAiCall : anthropicCall;
  return (messages) =>
    withRetries(() => call(judge, endpoint, messages), { retries: retry.retries, baseMs: 200, maxMs: 5_000 });
}

async function openAiCall(
  judge: ResolvedRelease,
  endpoint: ProviderEndpoint,
  messages: readonly JudgeMessage[],
) {
  const auth: Record<string, string> = endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {};
  const body = { model: judge.model.snapshot, messages, ...judge.config };
  const reply = (await postJson(endpoint, "/v1/chat/completions", body, auth)) as ChatReply;
  return {
    text: reply.choices?.[0]?.message?.content ?? "",
    usage: {
      input_tokens: reply.usage?.prompt_tokens ?? 0,
      output_tokens: reply.usage?.completion_tokens ?? 0,
    },
  };
}

async function anthropicCall(
  judge: ResolvedRelease,
  endpoint: ProviderEndpoint,
  messages: readonly JudgeMessage[],
) {
  const auth: Record<string, string> = endpoint.apiKey
    ? { "x-api-key": endpoint.apiKey, "anthropic-version": "2023-06-01" }
    : { "anthropic-version": "2023-06-01" };
  const { max_tokens: maxTokens, ...config } = judge.config;
  const body = { model: judge.model.snapshot, max_tokens: Number(maxTokens ?? 512), messages, ...config };
  const reply = (await postJson(endpoint, "/v1/messages", body, auth)) as MessagesReply;
  return {
    text: (reply.content ?? [])
      .filter((block) => block.type === "text")
      .map((block) => block.text ?? "")
      .join(""),
    usage: { input_tokens: reply.usage?.input_tokens ?? 0, output_tokens: reply.usage?.output_tokens ?? 0 },
  };
}
