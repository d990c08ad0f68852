import { argumentsObject, isRecord, stringAttribute, structuredAttribute } from "./attributes.js";
import {
  type ChatMessage,
  joinText,
  type ModelCallContent,
  type RequestedToolCall,
  requestedToolCall,
} from "./chat-message.js";
import type { Attributes, Building } from "./span.js";

/**
 * The current GenAI conventions (semconv 1.37 on): `gen_ai.input.messages` and
 * `gen_ai.output.messages` hold the messages as JSON (or as structured values), each
 * `{role, parts: [{type: text, content} | {type: tool_call, id, name, arguments} |
 * {type: tool_call_response, id, response}], finish_reason?}`, and `gen_ai.system_instructions`
 * the system prompt as parts. They may sit on the span or on a
 * `gen_ai.client.inference.operation.details` event, so any attribute set is read the same way.
 * With `withInput` false and output messages present, the input and system instructions are not
 * parsed (see modelCallOf): the answer is the same convention, with an empty input.
 */
export function currentConventionContent(
  attributes: Attributes,
  withInput = true,
): ModelCallContent | undefined {
  const output = structuredAttribute(attributes, "gen_ai.output.messages");
  if (!withInput && Array.isArray(output)) return { input: [], output: messagesOf(output) };
  const input = structuredAttribute(attributes, "gen_ai.input.messages");
  if (!Array.isArray(input) && !Array.isArray(output)) return undefined;
  const instructions = structuredAttribute(attributes, "gen_ai.system_instructions");
  const systemInstructions = Array.isArray(instructions)
    ? joinText(instructions.map((part) => (isRecord(part) ? textOf(part) : undefined)))
    : typeof instructions === "string"
      ? instructions
      : null;
  return {
    input: messagesOf(input),
    output: messagesOf(output),
    ...(systemInstructions === null ? {} : { systemInstructions }),
  };
}

function messagesOf(value: unknown): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (!Array.isArray(value)) return messages;
  for (const message of value) if (isRecord(message)) messages.push(messageOf(message));
  return messages;
}

function messageOf(message: Readonly<Record<string, unknown>>): ChatMessage {
  const toolCalls: RequestedToolCall[] = [];
  let toolCallId: string | undefined;
  const texts: (string | undefined)[] = [];
  const parts = message.parts;
  if (Array.isArray(parts)) {
    for (const part of parts) {
      if (!isRecord(part)) continue;
      if (part.type === "text") texts.push(textOf(part));
      else if (part.type === "tool_call" && typeof part.name === "string") {
        toolCalls.push(requestedToolCall(part.id, part.name, argumentsObject(part.arguments)));
      } else if (part.type === "tool_call_response") {
        if (typeof part.id === "string") toolCallId = part.id;
        texts.push(typeof part.response === "string" ? part.response : JSON.stringify(part.response));
      }
    }
  }
  const finishReason = stringAttribute(message as Attributes, "finish_reason");
  // Optional fields set only when present, not spread in: see requestedToolCall.
  const made: Building<ChatMessage> = {
    role: typeof message.role === "string" ? message.role : "unknown",
    text: joinText(texts),
    toolCalls,
  };
  if (toolCallId !== undefined) made.toolCallId = toolCallId;
  if (finishReason !== undefined) made.finishReason = finishReason;
  return made as ChatMessage;
}

function textOf(part: Readonly<Record<string, unknown>>): string | undefined {
  return typeof part.content === "string" ? part.content : undefined;
}
