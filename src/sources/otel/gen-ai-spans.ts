import { firstIntegerAttribute, firstStringAttribute, stringAttribute, stringList } from "./attributes.js";
import type { ModelCallContent } from "./chat-message.js";
import { currentConventionContent } from "./content-current.js";
import { eventConventionContent, genAiEventsOf } from "./content-events.js";
import { openInferenceContent } from "./content-openinference.js";
import type { OtelLogRecord, OtelSpan } from "./span.js";

export type SpanRole = "agent" | "model" | "tool" | "other";

const MODEL_OPERATIONS = new Set(["chat", "text_completion", "generate_content"]);

/** What a span is, by `gen_ai.operation.name`, else by OpenInference's `openinference.span.kind`. */
export function spanRole(span: OtelSpan): SpanRole {
  // Read directly (a missing key reads undefined; no prototype holds these names): asked of
  // every span of every trace, stringAttribute's key list was a tenth of the mapping's own time.
  const operation = span.attributes["gen_ai.operation.name"];
  if (typeof operation === "string") {
    if (operation === "invoke_agent") return "agent";
    if (MODEL_OPERATIONS.has(operation)) return "model";
    if (operation === "execute_tool") return "tool";
  }
  const kind = stringAttribute(span.attributes, "openinference.span.kind")?.toUpperCase();
  if (kind === "AGENT") return "agent";
  if (kind === "LLM") return "model";
  if (kind === "TOOL") return "tool";
  return "other";
}

export interface ModelCall {
  readonly span: OtelSpan;
  readonly content: ModelCallContent;
  readonly finishReasons: readonly string[];
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number | undefined;
  /** `provider/model` when the span names both, else the model alone. */
  readonly model: string | undefined;
}

const NO_CONTENT: ModelCallContent = { input: [], output: [] };

/**
 * One model call and what it said, from whichever convention carries its content: attributes of
 * the current conventions first, then OpenInference's, then GenAI events (span events or log
 * records joined by span id). Only the first model call's input makes the record's request (each
 * later call's input repeats the conversation so far, so parsing it grows with the square of the
 * turns), so `withInput: false` leaves `input` empty whenever the output alone settles which
 * convention the call uses; the events are gathered only when no attribute convention applies.
 */
export function modelCallOf(span: OtelSpan, logs: readonly OtelLogRecord[], withInput = true): ModelCall {
  let content = currentConventionContent(span.attributes, withInput);
  if (content === undefined) {
    const events = genAiEventsOf(span, logs);
    for (const event of events) {
      if (event.name !== "gen_ai.client.inference.operation.details") continue;
      content = currentConventionContent(event.body as OtelSpan["attributes"], withInput);
      if (content !== undefined) break;
    }
    content ??=
      openInferenceContent(span.attributes, withInput) ?? eventConventionContent(events) ?? NO_CONTENT;
  }
  const attributes = span.attributes;
  const declared = stringList(attributes["gen_ai.response.finish_reasons"]);
  // Loops rather than flatMap here and in the steps: flatMap was a third of this function's time.
  const finishReasons = declared;
  if (declared.length === 0)
    for (const message of content.output)
      if (message.finishReason !== undefined) finishReasons.push(message.finishReason);
  const modelName = firstStringAttribute(attributes, MODEL_NAME_KEYS);
  const provider = firstStringAttribute(attributes, PROVIDER_KEYS);
  return {
    span,
    content,
    finishReasons,
    inputTokens: firstIntegerAttribute(attributes, INPUT_TOKEN_KEYS) ?? 0,
    outputTokens: firstIntegerAttribute(attributes, OUTPUT_TOKEN_KEYS) ?? 0,
    cachedInputTokens: firstIntegerAttribute(attributes, CACHED_INPUT_TOKEN_KEYS),
    model:
      modelName === undefined
        ? undefined
        : provider === undefined || modelName.includes("/")
          ? modelName
          : `${provider}/${modelName}`,
  };
}

// Each fact's attribute names across the conventions, in the order they are tried.
const MODEL_NAME_KEYS = [
  "gen_ai.response.model",
  "llm.response.model_name",
  "llm.model_name",
  "gen_ai.request.model",
];
const PROVIDER_KEYS = ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"];
const INPUT_TOKEN_KEYS = [
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.prompt_tokens",
  "llm.token_count.prompt",
];
const OUTPUT_TOKEN_KEYS = [
  "gen_ai.usage.output_tokens",
  "gen_ai.usage.completion_tokens",
  "llm.token_count.completion",
];
const CACHED_INPUT_TOKEN_KEYS = [
  "gen_ai.usage.cache_read.input_tokens",
  "llm.token_count.prompt_details.cache_read",
];
const TOOL_NAME_KEYS = ["gen_ai.tool.name", "tool.name"];
const TOOL_CALL_ID_KEYS = ["gen_ai.tool.call.id", "tool_call.id", "tool.id"];

export interface ToolExecution {
  readonly span: OtelSpan;
  readonly name: string;
  readonly callId: string | undefined;
  readonly arguments: unknown;
  readonly result: unknown;
}

/** A tool span: current conventions (`gen_ai.tool.*`) or OpenInference (`tool.name`, `input.value`). */
export function toolExecutionOf(span: OtelSpan): ToolExecution {
  const attributes = span.attributes;
  return {
    span,
    name: firstStringAttribute(attributes, TOOL_NAME_KEYS) ?? span.name.replace(/^execute_tool /, ""),
    callId: firstStringAttribute(attributes, TOOL_CALL_ID_KEYS),
    arguments:
      attributes["gen_ai.tool.call.arguments"] ?? attributes["tool.parameters"] ?? attributes["input.value"],
    result: attributes["gen_ai.tool.call.result"] ?? attributes["output.value"],
  };
}
