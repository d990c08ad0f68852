import { argumentsObject, isRecord, stringAttribute, structuredAttribute } from "./attributes.js";
import { type ChatMessage, joinText, type ModelCallContent, type RequestedToolCall } from "./chat-message.js";
import type { Attributes } from "./span.js";

/**
 * The current GenAI conventions (semconv 1.37 on): `gen_ai.input.messages` and
 * `gen_ai.output.messages` hold the messages as JSON (or as structured values), each
 * `{role, parts: [{type: text, content} | {type: tool_call, id, name, arguments} |
 * {type: tool_call_response, id, response}], finish_reason?}`, and `gen_ai.system_instructions`
 * the system prompt as parts. They may sit on the span or on a
 * `gen_ai.client.inference.operation.details` event, so any attribute set is read the same way.
 */
export function currentConventionContent(attributes: Attributes): ModelCallContent | undefined {
  const input = structuredAttribute(attributes, "gen_ai.input.messages");
  const output = structuredAttribute(attributes, "gen_ai.output.messages");
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
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((message) => {
    const parts = Array.isArray(message.parts) ? message.parts.filter(isRecord) : [];
    const toolCalls: RequestedToolCall[] = [];
    let toolCallId: string | undefined;
    const texts: (string | undefined)[] = [];
    for (const part of parts) {
      if (part.type === "text") texts.push(textOf(part));
      else if (part.type === "tool_call" && typeof part.name === "string") {
        toolCalls.push({
          ...(typeof part.id === "string" ? { id: part.id } : {}),
          name: part.name,
          arguments: argumentsObject(part.arguments),
        });
      } else if (part.type === "tool_call_response") {
        if (typeof part.id === "string") toolCallId = part.id;
        texts.push(typeof part.response === "string" ? part.response : JSON.stringify(part.response));
      }
    }
    const finishReason = stringAttribute(message as Attributes, "finish_reason");
    return {
      role: typeof message.role === "string" ? message.role : "unknown",
      text: joinText(texts),
      toolCalls,
      ...(toolCallId === undefined ? {} : { toolCallId }),
      ...(finishReason === undefined ? {} : { finishReason }),
    };
  });
}

function textOf(part: Readonly<Record<string, unknown>>): string | undefined {
  return typeof part.content === "string" ? part.content : undefined;
}
