import { describeLocation, printable, ShadowdiffError } from "../../contracts/errors.js";
import { EXCHANGE_SCHEMA_ID, type ExchangeRecord, type Message } from "../../contracts/exchange.js";
import { firstIntegerAttribute, firstStringAttribute, stringAttribute } from "./attributes.js";
import type { ChatMessage } from "./chat-message.js";
import { type ModelCall, modelCallOf, type ToolExecution, toolExecutionOf } from "./gen-ai-spans.js";
import { isoTime } from "./iso-time.js";
import { contractProblem } from "./record-checks.js";
import { type Building, type OtelLogRecord, type OtelSpan, STATUS_ERROR } from "./span.js";
import {
  DEFAULT_TRACE_MAPPING,
  labelsOf,
  outcomeOf,
  releaseOf,
  rootAttribute,
  type TraceMapping,
} from "./trace-mapping.js";
import { stepsOf } from "./trace-steps.js";
import { recordSpans } from "./trace-tree.js";

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
  const found = recordSpans(trace.spans);
  if (found === undefined) return unusable(trace, source, "has no spans");
  const { root, spans, roles } = found;
  const logsBySpan = trace.logs.length === 0 ? undefined : logsBySpanId(trace.logs);
  const modelCalls: ModelCall[] = [];
  const tools: ToolExecution[] = [];
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index] as OtelSpan;
    const role = roles[index];
    if (role === "model")
      modelCalls.push(modelCallOf(span, logsBySpan?.get(span.spanId) ?? NO_LOGS, modelCalls.length === 0));
    else if (role === "tool") tools.push(toolExecutionOf(span));
  }
  const first = modelCalls[0];
  const last = modelCalls.at(-1);
  if (first === undefined || last === undefined)
    return unusable(
      trace,
      source,
      `has no model call (no span with gen_ai.operation.name chat, text_completion or generate_content, or openinference.span.kind LLM, below span ${JSON.stringify(printable(root.name))})`,
    );
  const model = modelCalls.find((call) => call.model !== undefined)?.model;
  if (model === undefined)
    return unusable(
      trace,
      source,
      "names no model (gen_ai.response.model or gen_ai.request.model on its model calls)",
    );
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
  let session = firstStringAttribute(root.attributes, SESSION_KEYS);
  for (let index = 0; session === undefined && index < modelCalls.length; index++)
    session = firstStringAttribute((modelCalls[index] as ModelCall).span.attributes, SESSION_KEYS);
  const labels = labelsOf(root, mapping);
  const replica = firstIntegerAttribute(root.attributes, REPLICA_KEYS);
  // Built field by field in the record's key order (see Building): its seven conditional
  // spreads were a tenth of this function's own time.
  const usage: Building<ExchangeRecord["response"]["usage"]> = {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
  };
  if (cached !== undefined) usage.cached_input_tokens = cached;
  const response: Building<ExchangeRecord["response"]> = {
    steps: stepsOf(modelCalls, tools),
    output: outputText(last),
    outcome: outcomeOf(root),
    refusal: knownReasons ? refused : null,
  };
  if (lastReason !== undefined) response.stop_reason = lastReason;
  response.usage = usage as ExchangeRecord["response"]["usage"];
  response.latency_ms = Math.max(0, Number(root.endNs - root.startNs) / 1e6);
  response.error = root.status.code === STATUS_ERROR ? rootError(root) : null;
  const record: Building<ExchangeRecord> = { schema: EXCHANGE_SCHEMA_ID, id };
  if (session !== undefined) record.session = session;
  record.ts = isoTime(Number(root.startNs / 1_000_000n));
  if (Object.keys(labels).length > 0) record.labels = labels;
  if (replica !== undefined && replica !== 0) record.replica = replica;
  record.release = releaseOf(root, first, model, mapping);
  record.request = { messages: requestMessages(first) };
  record.response = response as ExchangeRecord["response"];
  const problem = contractProblem(record as ExchangeRecord);
  return problem === undefined
    ? { ok: true, record: record as ExchangeRecord }
    : unusable(trace, source, `does not make a valid exchange record: ${problem}`, id);
}

const SESSION_KEYS = ["gen_ai.conversation.id", "session.id"];
const REPLICA_KEYS = ["shadowdiff.replica"];

function unusable(trace: TraceSpans, source: string, what: string, recordId = trace.traceId): TraceRecord {
  const context = { source, recordId, path: `trace/${trace.traceId}` };
  return {
    ok: false,
    error: new ShadowdiffError(
      "UNUSABLE_TRACE",
      `${describeLocation(context)}: trace ${trace.traceId} ${what}`,
      {
        context,
      },
    ),
  };
}

function logsBySpanId(logs: readonly OtelLogRecord[]): Map<string, OtelLogRecord[]> {
  const bySpan = new Map<string, OtelLogRecord[]>();
  for (const log of logs) {
    const list = bySpan.get(log.spanId);
    if (list === undefined) bySpan.set(log.spanId, [log]);
    else list.push(log);
  }
  return bySpan;
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
  const content: { text: string | null; tool_calls?: unknown; tool_call_id?: string } = {
    text: message.text,
  };
  if (message.toolCalls.length > 0) content.tool_calls = message.toolCalls;
  if (message.toolCallId !== undefined) content.tool_call_id = message.toolCallId;
  return content;
}

function outputText(last: ModelCall): string | null {
  let output: string | null = null;
  for (const message of last.content.output)
    if (message.text !== null) output = output === null ? message.text : `${output}\n${message.text}`;
  return output;
}

function rootError(root: OtelSpan): { type: string; message: string } {
  return {
    type: stringAttribute(root.attributes, "error.type") ?? "agent_error",
    message: root.status.message || "the agent span ended with status ERROR",
  };
}
