import { argumentsObject, isRecord, parseIfJson } from "./attributes.js";
import {
  type ChatMessage,
  type ModelCallContent,
  type RequestedToolCall,
  requestedToolCall,
} from "./chat-message.js";
import type { OtelLogRecord, OtelSpan } from "./span.js";

/** A GenAI event of one model call, from a span event or from a log record joined by span id. */
export interface GenAiEvent {
  readonly name: string;
  readonly timeNs: bigint;
  /** The event's body (log records) or its attributes (span events), as plain data. */
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * A span's GenAI events, in time order. Span events carry their content in attributes (and,
 * in some instrumentations, as JSON in `gen_ai.event.content`); log records in their body.
 */
export function genAiEventsOf(span: OtelSpan, logs: readonly OtelLogRecord[]): GenAiEvent[] {
  const events: GenAiEvent[] = [];
  for (const event of span.events) {
    if (!event.name.startsWith("gen_ai.")) continue;
    const content = parseIfJson(event.attributes["gen_ai.event.content"]);
    events.push({
      name: event.name,
      timeNs: event.timeNs,
      body: { ...event.attributes, ...(isRecord(content) ? content : {}) },
    });
  }
  for (const log of logs) {
    if (!log.eventName.startsWith("gen_ai.")) continue;
    events.push({
      name: log.eventName,
      timeNs: log.timeNs,
      body: { ...log.attributes, ...(isRecord(log.body) ? log.body : {}) },
    });
  }
  // Stable sort: events emitted in the same millisecond keep their arrival order, except that a
  // system message goes first. instrumentation-openai stamps all of a call's input events with
  // one Date.now(), and with one export request per log record (SimpleLogRecordProcessor) they
  // reach collect in any order: the e2e test saw the user message arrive before the system one.
  // Within a tie, no other order can be recovered (batched exports keep the emission order).
  return events.sort((a, b) =>
    a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : tieRank(a.name) - tieRank(b.name),
  );
}

function tieRank(name: string): number {
  return name === "gen_ai.system.message" ? 0 : 1;
}

const ROLE_OF_EVENT: Readonly<Record<string, string>> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

/**
 * The event-based GenAI conventions (semconv 1.36 and before): one `gen_ai.{system,user,
 * assistant,tool}.message` event per input message and one `gen_ai.choice` per output choice
 * (what @opentelemetry/instrumentation-openai writes, as log records), or, older still, a
 * `gen_ai.content.prompt` / `gen_ai.content.completion` event pair with the messages as JSON in
 * `gen_ai.prompt` / `gen_ai.completion`.
 */
export function eventConventionContent(events: readonly GenAiEvent[]): ModelCallContent | undefined {
  const input: ChatMessage[] = [];
  const choices: { index: number; message: ChatMessage }[] = [];
  for (const event of events) {
    const role = ROLE_OF_EVENT[event.name];
    if (role !== undefined) input.push(messageOf(event.body, role));
    else if (event.name === "gen_ai.choice") {
      const message = isRecord(event.body.message) ? event.body.message : {};
      const finishReason =
        typeof event.body.finish_reason === "string" ? event.body.finish_reason : undefined;
      choices.push({
        index: typeof event.body.index === "number" ? event.body.index : choices.length,
        message: {
          ...messageOf(message, "assistant"),
          ...(finishReason === undefined ? {} : { finishReason }),
        },
      });
    } else if (event.name === "gen_ai.content.prompt") {
      input.push(...legacyMessages(event.body["gen_ai.prompt"], "user"));
    } else if (event.name === "gen_ai.content.completion") {
      for (const message of legacyMessages(event.body["gen_ai.completion"], "assistant"))
        choices.push({ index: choices.length, message });
    }
  }
  if (input.length === 0 && choices.length === 0) return undefined;
  return { input, output: choices.sort((a, b) => a.index - b.index).map((choice) => choice.message) };
}

function messageOf(body: Readonly<Record<string, unknown>>, defaultRole: string): ChatMessage {
  const role = typeof body.role === "string" ? body.role : defaultRole;
  const content = body.content;
  const text =
    typeof content === "string"
      ? content
      : content === undefined || content === null
        ? null
        : JSON.stringify(content);
  const toolCallId =
    typeof body.id === "string" && role === "tool"
      ? body.id
      : typeof body.tool_call_id === "string"
        ? body.tool_call_id
        : undefined;
  return {
    role,
    text,
    toolCalls: toolCallsOf(body.tool_calls),
    ...(toolCallId === undefined ? {} : { toolCallId }),
  };
}

/** OpenAI-shaped tool calls: `[{id, type: "function", function: {name, arguments}}]`. */
function toolCallsOf(value: unknown): RequestedToolCall[] {
  const calls = parseIfJson(value);
  if (!Array.isArray(calls)) return [];
  return calls.filter(isRecord).flatMap((call) => {
    const fn = isRecord(call.function) ? call.function : call;
    if (typeof fn.name !== "string") return [];
    return [requestedToolCall(call.id, fn.name, argumentsObject(fn.arguments))];
  });
}

function legacyMessages(value: unknown, defaultRole: string): ChatMessage[] {
  const parsed = parseIfJson(value);
  if (typeof parsed === "string") return [{ role: defaultRole, text: parsed, toolCalls: [] }];
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isRecord).map((message) => messageOf(message, defaultRole));
}
