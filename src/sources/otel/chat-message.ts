/** A model call's messages, the same whichever convention an instrumentation wrote them in. */
export interface RequestedToolCall {
  readonly id?: string;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

export interface ChatMessage {
  readonly role: string;
  /** The message's text parts joined, or null when it has none (a tool-call-only message). */
  readonly text: string | null;
  readonly toolCalls: readonly RequestedToolCall[];
  /** For a tool result message: the call it answers. */
  readonly toolCallId?: string;
  readonly finishReason?: string;
}

export interface ModelCallContent {
  readonly input: readonly ChatMessage[];
  readonly output: readonly ChatMessage[];
  /** System instructions given apart from the messages (`gen_ai.system_instructions`). */
  readonly systemInstructions?: string;
}

export function joinText(parts: readonly (string | null | undefined)[]): string | null {
  let joined: string | null = null;
  for (const part of parts) if (typeof part === "string") joined = joined === null ? part : joined + part;
  return joined;
}

/**
 * A requested call, `id` first when known (the key order the record's JSON keeps). Two object
 * literals, not a conditional spread: the spread took V8's slow object-clone path and was a fifth
 * of reading a model call's output in bench/otel.
 */
export function requestedToolCall(
  id: unknown,
  name: string,
  callArguments: Record<string, unknown>,
): RequestedToolCall {
  return typeof id === "string" ? { id, name, arguments: callArguments } : { name, arguments: callArguments };
}
