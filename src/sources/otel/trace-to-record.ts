import { describeLocation, printable, ShadowdiffError } from "../../contracts/errors.js";
import { EXCHANGE_SCHEMA_ID, type ExchangeRecord, type Message } from "../../contracts/exchange.js";
import { validateExchangeValue } from "../../contracts/validate-record.js";
import { integerAttribute, stringAttribute } from "./attributes.js";
import type { ChatMessage } from "./chat-message.js";
import { type ModelCall, modelCallOf, spanRole, toolExecutionOf } from "./gen-ai-spans.js";
import { type OtelLogRecord, type OtelSpan, STATUS_ERROR } from "./span.js";
import {
  DEFAULT_TRACE_MAPPING,
  labelsOf,
  outcomeOf,
  releaseOf,
  rootAttribute,
  type TraceMapping,
} from "./trace-mapping.js";
import { stepsOf } from "./trace-steps.js";
import { recordRoot, subtree } from "./trace-tree.js";

/** The spans and joined log records of one trace, as the assembler hands them over. */
export interface TraceSpans {
  readonly traceId: string;
  readonly spans: readonly OtelSpan[];
  readonly logs: readonly OtelLogRecord[];
}

export type TraceRecord =
  | { readonly ok: true; readonly record: ExchangeRecord }
  | { readonly ok: false; readonly error: ShadowdiffError };

const REFUSAL_REASONS = new Set(["content_filter", "refusal"]);

/**
 * One trace (its `invoke_agent` span and everything below it) as one exchange record, validated
 * against the exchange contract. A trace that cannot make one (no root, no model call, no model
 * name) is a located error naming the trace id, for the dead letters; never an exception.
 */
export function traceToRecord(
  trace: TraceSpans,
  source: string,
  mapping: TraceMapping = DEFAULT_TRACE_MAPPING,
): TraceRecord {
  const unusable = (what: string, recordId = trace.traceId): TraceRecord => {
    const context = { source, recordId, path: `trace/${trace.traceId}` };
    return {
      ok: false,
      error: new ShadowdiffError(
        "UNUSABLE_TRACE",
        `${describeLocation(context)}: trace ${trace.traceId} ${what}`,
        { context },
      ),
    };
  };
  const root = recordRoot(trace.spans);
  if (root === undefined) return unusable("has no spans");
  const spans = subtree(root, trace.spans);
  const logsBySpan = new Map<string, OtelLogRecord[]>();
  for (const log of trace.logs) {
    const list = logsBySpan.get(log.spanId);
    if (list === undefined) logsBySpan.set(log.spanId, [log]);
    else list.push(log);
  }
  const modelCalls = spans
    .filter((span) => spanRole(span) === "model")
    .map((span) => modelCallOf(span, logsBySpan.get(span.spanId) ?? []));
  const first = modelCalls[0];
  const last = modelCalls.at(-1);
  if (first === undefined || last === undefined)
    return unusable(
      `has no model call (no span with gen_ai.operation.name chat, text_completion or generate_content, or openinference.span.kind LLM, below span ${JSON.stringify(printable(root.name))})`,
    );
  const model = modelCalls.find((call) => call.model !== undefined)?.model;
  if (model === undefined)
    return unusable("names no model (gen_ai.response.model or gen_ai.request.model on its model calls)");
  const tools = spans.filter((span) => spanRole(span) === "tool").map(toolExecutionOf);
  const id = rootAttribute(root, mapping.requestId) ?? trace.traceId;
  const finishReasons = modelCalls.flatMap((call) => call.finishReasons);
  const lastReason = last.finishReasons.at(-1);
  const cached = modelCalls.reduce((sum, call) => sum + (call.cachedInputTokens ?? 0), 0);
  const session =
    stringAttribute(root.attributes, "gen_ai.conversation.id", "session.id") ??
    modelCalls
      .map((call) => stringAttribute(call.span.attributes, "gen_ai.conversation.id", "session.id"))
      .find(Boolean);
  const labels = labelsOf(root, mapping);
  const replica = integerAttribute(root.attributes, "shadowdiff.replica");
  const record = {
    schema: EXCHANGE_SCHEMA_ID,
    id,
    ...(session === undefined ? {} : { session }),
    ts: new Date(Number(root.startNs / 1_000_000n)).toISOString(),
    ...(Object.keys(labels).length === 0 ? {} : { labels }),
    ...(replica === undefined || replica === 0 ? {} : { replica }),
    release: releaseOf(root, first, model, mapping),
    request: { messages: requestMessages(first) },
    response: {
      steps: stepsOf(modelCalls, tools),
      output: outputText(last),
      outcome: outcomeOf(root),
      refusal:
        finishReasons.length === 0 ? null : finishReasons.some((reason) => REFUSAL_REASONS.has(reason)),
      ...(lastReason === undefined ? {} : { stop_reason: lastReason }),
      usage: {
        input_tokens: modelCalls.reduce((sum, call) => sum + call.inputTokens, 0),
        output_tokens: modelCalls.reduce((sum, call) => sum + call.outputTokens, 0),
        ...(modelCalls.some((call) => call.cachedInputTokens !== undefined)
          ? { cached_input_tokens: cached }
          : {}),
      },
      latency_ms: Math.max(0, Number(root.endNs - root.startNs) / 1e6),
      error: root.status.code === STATUS_ERROR ? rootError(root) : null,
    },
  };
  const validated = validateExchangeValue(record, { source, line: 0 });
  if (!validated.ok) {
    // The validator's message starts with its own location (source:0): keep only what is wrong.
    const message = validated.error.message;
    return unusable(`does not make a valid exchange record: ${message.slice(message.indexOf(": ") + 2)}`, id);
  }
  return validated;
}

/** The first model call's input: the request the agent was given (system and user messages). */
function requestMessages(first: ModelCall): Message[] {
  const messages: Message[] = [];
  if (first.content.systemInstructions !== undefined)
    messages.push({ role: "system", content: first.content.systemInstructions });
  for (const message of first.content.input)
    messages.push({ role: message.role, content: contentOf(message) });
  return messages;
}

function contentOf(message: ChatMessage): unknown {
  if (message.toolCalls.length === 0 && message.toolCallId === undefined) return message.text ?? "";
  return {
    text: message.text,
    ...(message.toolCalls.length === 0 ? {} : { tool_calls: message.toolCalls }),
    ...(message.toolCallId === undefined ? {} : { tool_call_id: message.toolCallId }),
  };
}

function outputText(last: ModelCall): string | null {
  const texts = last.content.output.map((message) => message.text).filter((text) => text !== null);
  return texts.length === 0 ? null : texts.join("\n");
}

function rootError(root: OtelSpan): { type: string; message: string } {
  return {
    type: stringAttribute(root.attributes, "error.type") ?? "agent_error",
    message: root.status.message || "the agent span ended with status ERROR",
  };
}
