import { argumentsObject } from "./attributes.js";
import type { ChatMessage, ModelCallContent, RequestedToolCall } from "./chat-message.js";
import type { Attributes } from "./span.js";

/**
 * OpenInference's flattened attributes (Arize's instrumentations):
 * `llm.input_messages.N.message.role|content`,
 * `llm.input_messages.N.message.tool_calls.M.tool_call.id|function.name|function.arguments`,
 * `llm.input_messages.N.message.tool_call_id`, the same under `llm.output_messages`, and the
 * finish reason in `llm.finish_reason`. With `withInput` false and output messages present, the
 * input is left empty (see modelCallOf).
 */
export function openInferenceContent(attributes: Attributes, withInput = true): ModelCallContent | undefined {
  const output = messagesUnder(attributes, "llm.output_messages.");
  const input = !withInput && output.length > 0 ? [] : messagesUnder(attributes, "llm.input_messages.");
  if (input.length === 0 && output.length === 0) return undefined;
  const finish = attributes["llm.finish_reason"];
  const last = output.at(-1);
  if (typeof finish === "string" && last !== undefined && last.finishReason === undefined)
    output[output.length - 1] = { ...last, finishReason: finish };
  return { input, output };
}

interface Draft {
  role: string;
  text: string | null;
  toolCallId?: string;
  calls: Map<number, { id?: string; name?: string; arguments?: unknown }>;
}

const MESSAGE_KEY = /^(\d+)\.message\.(.+)$/;
const TOOL_CALL_KEY = /^tool_calls\.(\d+)\.tool_call\.(id|function\.name|function\.arguments)$/;

function messagesUnder(attributes: Attributes, prefix: string): ChatMessage[] {
  const drafts = new Map<number, Draft>();
  for (const key of Object.keys(attributes)) {
    if (!key.startsWith(prefix)) continue;
    const match = MESSAGE_KEY.exec(key.slice(prefix.length));
    if (match === null) continue;
    const index = Number(match[1]);
    const rest = match[2] as string;
    const value = attributes[key];
    let draft = drafts.get(index);
    if (draft === undefined) {
      draft = { role: "unknown", text: null, calls: new Map() };
      drafts.set(index, draft);
    }
    if (rest === "role" && typeof value === "string") draft.role = value;
    else if (rest === "content" && typeof value === "string") draft.text = value;
    else if (rest === "tool_call_id" && typeof value === "string") draft.toolCallId = value;
    else {
      const call = TOOL_CALL_KEY.exec(rest);
      if (call === null) continue;
      const callIndex = Number(call[1]);
      const entry = draft.calls.get(callIndex) ?? {};
      if (call[2] === "id" && typeof value === "string") entry.id = value;
      else if (call[2] === "function.name" && typeof value === "string") entry.name = value;
      else if (call[2] === "function.arguments") entry.arguments = value;
      draft.calls.set(callIndex, entry);
    }
  }
  return [...drafts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, draft]) => {
      const toolCalls: RequestedToolCall[] = [...draft.calls.entries()]
        .sort(([a], [b]) => a - b)
        .flatMap(([, call]) =>
          call.name === undefined
            ? []
            : [
                {
                  ...(call.id === undefined ? {} : { id: call.id }),
                  name: call.name,
                  arguments: argumentsObject(call.arguments),
                },
              ],
        );
      return {
        role: draft.role,
        text: draft.text,
        toolCalls,
        ...(draft.toolCallId === undefined ? {} : { toolCallId: draft.toolCallId }),
      };
    });
}
