import { describeLocation, printable, ShadowdiffError } from "../../contracts/errors.js";
import { EXCHANGE_SCHEMA_ID, type ExchangeRecord, type Message } from "../../contracts/exchange.js";
import { integerAttribute, stringAttribute } from "./attributes.js";
import type { ChatMessage } from "./chat-message.js";
import {
  type ModelCall,
  modelCallOf,
  type SpanRole,
  spanRole,
  type ToolExecution,
  toolExecutionOf,
} from "./gen-ai-spans.js";
import { isoTime } from "./iso-time.js";
import { contractProblem } from "./record-checks.js";
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
 * One trace (its `invoke_agent` span and everything below it) as one exchange record. A trace
 * that cannot make one (no root, no model call, no model name, or a record the contract would
 * refuse) is a located error naming the trace id, for the dead letters; never an exception.
 *
 * The record is not run through the contract's validator here: every path that stores a record
 * (the capture readers of `run`, `consume`) parses and validates it once, and `collect` and
 * `run --source otlp:` only write records for those paths to read, so validating here too made
 * every record pass the validator twice. What the mapping builds from its own code has the
 * contract's shape by construction; what trace data can break (an empty tool name or role, too
 * many steps, too deep a value) is checked by `contractProblem`, so such a trace is still a dead
 * letter here, with its trace id, rather than a bad line later.
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
  // Each span's role once: the tree walk and the two filters below asked it three times a span.
  const roles = new Map<OtelSpan, SpanRole>();
  for (const span of trace.spans) roles.set(span, spanRole(span));
  const roleOf = (span: OtelSpan) => roles.get(span) ?? "other";
  const root = recordRoot(trace.spans, roleOf);
  if (root === undefined) return unusable("has no spans");
  const spans = subtree(root, trace.spans);
  const logsBySpan = new Map<string, OtelLogRecord[]>();
  for (const log of trace.logs) {
    const list = logsBySpan.get(log.spanId);
    if (list === undefined) logsBySpan.set(log.spanId, [log]);
    else list.push(log);
  }
  const modelCalls: ModelCall[] = [];
  const tools: ToolExecution[] = [];
  for (const span of spans) {
    const role = roleOf(span);
    if (role === "model")
      modelCalls.push(modelCallOf(span, logsBySpan.get(span.spanId) ?? NO_LOGS, modelCalls.length === 0));
    else if (role === "tool") tools.push(toolExecutionOf(span));
  }
  const first = modelCalls[0];
  const last = modelCalls.at(-1);
  if (first === undefined || last === undefined)
    return unusable(
      `has no model call (no span with gen_ai.operation.name chat, text_completion or generate_content, or openinference.span.kind LLM, below span ${JSON.stringify(printable(root.name))})`,
    );
  const model = modelCalls.find((call) => call.model !== undefined)?.model;
  if (model === undefined)
    return unusable("names no model (gen_ai.response.model or gen_ai.request.model on its model calls)");
  const id = rootAttribute(root, mapping.requestId) ?? trace.traceId;
  const lastReason = last.finishReasons.at(-1);
  let inputTokens = 0;
  let outputTokens = 0;
  let cached: number | undefined;
  let knownReasons = false;
  let refused = false;
  for (const call of modelCalls) {
    inputTokens += call.inputTokens;
    outputTokens += call.outputTokens;
    if (call.cachedInputTokens !== undefined) cached = (cached ?? 0) + call.cachedInputTokens;
    for (const reason of call.finishReasons) {
      knownReasons = true;
      if (REFUSAL_REASONS.has(reason)) refused = true;
    }
  }
  let session = stringAttribute(root.attributes, "gen_ai.conversation.id", "session.id");
  for (let index = 0; session === undefined && index < modelCalls.length; index++)
    session = stringAttribute(
      (modelCalls[index] as ModelCall).span.attributes,
      "gen_ai.conversation.id",
      "session.id",
    );
  const labels = labelsOf(root, mapping);
  const replica = integerAttribute(root.attributes, "shadowdiff.replica");
  const record: ExchangeRecord = {
    schema: EXCHANGE_SCHEMA_ID,
    id,
    ...(session === undefined ? {} : { session }),
    ts: isoTime(Number(root.startNs / 1_000_000n)),
    ...(Object.keys(labels).length === 0 ? {} : { labels }),
    ...(replica === undefined || replica === 0 ? {} : { replica }),
    release: releaseOf(root, first, model, mapping),
    request: { messages: requestMessages(first) },
    response: {
      steps: stepsOf(modelCalls, tools),
      output: outputText(last),
      outcome: outcomeOf(root),
      refusal: knownReasons ? refused : null,
      ...(lastReason === undefined ? {} : { stop_reason: lastReason }),
      usage: {
        input_tokens: inputTokens,
        output_tokens: outputTokens,
        ...(cached === undefined ? {} : { cached_input_tokens: cached }),
      },
      latency_ms: Math.max(0, Number(root.endNs - root.startNs) / 1e6),
      error: root.status.code === STATUS_ERROR ? rootError(root) : null,
    },
  };
  const problem = contractProblem(record);
  return problem === undefined
    ? { ok: true, record }
    : unusable(`does not make a valid exchange record: ${problem}`, id);
}

const NO_LOGS: readonly OtelLogRecord[] = [];

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
