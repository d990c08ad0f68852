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
  const texts = parts.filter((part): part is string => typeof part === "string");
  return texts.length === 0 ? null : texts.join("");
}
