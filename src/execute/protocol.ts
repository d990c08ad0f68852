import type { ExchangeRecord } from "../contracts/exchange.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { ModelTurn } from "./agent-run.js";
import type { ProviderEndpoint } from "./provider-http.js";

/** A provider protocol: how a conversation with tools is sent, and how a reply is read. */
export interface Protocol {
  readonly name: "openai" | "anthropic";
  start(release: ResolvedRelease, baseline: ExchangeRecord): Conversation;
}

export interface Conversation {
  /** One model call with the conversation so far. */
  call(endpoint: ProviderEndpoint): Promise<ModelTurn>;
  /** Appends the model's tool calls and their (recorded) results. */
  answer(
    turn: Extract<ModelTurn, { kind: "tools" }>,
    results: readonly { readonly id: string; readonly content: string; readonly isError: boolean }[],
  ): void;
}
