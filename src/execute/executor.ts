import { ShadowdiffError } from "../contracts/errors.js";
import type { ExchangeRecord, ExchangeResponse, ToolCallStep, Usage } from "../contracts/exchange.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { CompiledRules } from "../normalize/compile-rules.js";
import { addUsage, finalResponse } from "./agent-run.js";
import { executeHttpAgent } from "./http-agent.js";
import type { Protocol } from "./protocol.js";
import { anthropicProtocol } from "./protocols/anthropic-messages.js";
import { openAiProtocol } from "./protocols/openai-chat.js";
import { type ProviderEndpoint, withRetries } from "./provider-http.js";
import { RecordedTools } from "./recorded-tools.js";

export const PROTOCOLS: Readonly<Record<string, Protocol>> = {
  openai: openAiProtocol,
  anthropic: anthropicProtocol,
};

export interface ExecuteOptions {
  readonly endpoint: ProviderEndpoint;
  readonly rules: CompiledRules;
  /** Model calls per request before the run is cut off as an error. */
  readonly maxSteps: number;
  readonly retries: number;
}

export interface ExecutedRun {
  readonly response: ExchangeResponse;
  /** Candidate tool calls no baseline recording answered (flagged on the pair). */
  readonly unrecordedCalls: number;
}

/**
 * Runs one baseline request through a candidate release as its agent would: the release's model,
 * prompt and tools, calling the provider until it answers, every tool call answered from the
 * baseline's recordings. Provider failures after retries become the record's error (the pair is
 * then a candidate_error), never an exception that stops the pipeline.
 */
export async function executeCandidate(
  release: ResolvedRelease,
  baseline: ExchangeRecord,
  options: ExecuteOptions,
): Promise<ExecutedRun> {
  const protocolName = String(release.endpoint.protocol ?? release.model.provider);
  if (protocolName === "http-agent") return executeThroughAgent(release, baseline, options);
  const protocol = PROTOCOLS[protocolName];
  if (protocol === undefined) {
    throw new ShadowdiffError(
      "BAD_USAGE",
      `${release.source}: /endpoint/protocol: no executor for '${protocolName}' (openai, anthropic, http-agent)`,
    );
  }
  const tools = new RecordedTools(baseline, options.rules);
  const conversation = protocol.start(release, baseline);
  const steps: ToolCallStep[] = [];
  let usage: Usage = { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 };
  const started = performance.now();
  try {
    for (let call = 0; call < options.maxSteps; call++) {
      const turn = await withRetries(() => conversation.call(options.endpoint), {
        retries: options.retries,
        baseMs: 200,
        maxMs: 5_000,
      });
      usage = addUsage(usage, turn.usage);
      if (turn.kind === "final") {
        return {
          response: finalResponse(steps, turn, usage, Math.round(performance.now() - started)),
          unrecordedCalls: tools.unrecorded,
        };
      }
      const results = turn.calls.map((toolCall) => {
        const answer = tools.answer(toolCall.name, toolCall.args);
        steps.push({
          type: "tool_call",
          id: toolCall.id,
          turn: call,
          name: toolCall.name,
          arguments: toolCall.args,
          ...(answer.recorded ? { result: answer.result } : { error: answer.error }),
          ...(answer.recorded && answer.error !== undefined ? { error: answer.error } : {}),
        });
        const content = answer.recorded ? JSON.stringify(answer.result ?? null) : answer.error;
        return { id: toolCall.id, content, isError: !answer.recorded || answer.error !== undefined };
      });
      conversation.answer(turn, results);
    }
    return failed(
      steps,
      usage,
      started,
      "step_limit",
      `no final answer within ${options.maxSteps} model calls`,
      tools,
    );
  } catch (error) {
    if (!(error instanceof ShadowdiffError)) throw error;
    return failed(steps, usage, started, "provider", error.message, tools);
  }
}

async function executeThroughAgent(
  release: ResolvedRelease,
  baseline: ExchangeRecord,
  options: ExecuteOptions,
): Promise<ExecutedRun> {
  const started = performance.now();
  try {
    const response = await withRetries(() => executeHttpAgent(release, baseline, options.endpoint), {
      retries: options.retries,
      baseMs: 200,
      maxMs: 5_000,
    });
    return { response, unrecordedCalls: 0 };
  } catch (error) {
    if (!(error instanceof ShadowdiffError)) throw error;
    const empty = { input_tokens: 0, output_tokens: 0 };
    return {
      response: {
        steps: [],
        output: null,
        outcome: null,
        refusal: false,
        stop_reason: null,
        usage: empty,
        latency_ms: Math.round(performance.now() - started),
        error: { type: "provider", message: error.message },
      },
      unrecordedCalls: 0,
    };
  }
}

function failed(
  steps: ToolCallStep[],
  usage: Usage,
  started: number,
  type: string,
  message: string,
  tools: RecordedTools,
): ExecutedRun {
  return {
    response: {
      steps,
      output: null,
      outcome: null,
      refusal: false,
      stop_reason: null,
      usage,
      latency_ms: Math.round(performance.now() - started),
      error: { type, message },
    },
    unrecordedCalls: tools.unrecorded,
  };
}
