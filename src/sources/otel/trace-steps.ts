import type { ToolCallStep } from "../../contracts/exchange.js";
import { argumentsObject, parseIfJson, stringAttribute } from "./attributes.js";
import type { ModelCall, ToolExecution } from "./gen-ai-spans.js";
import { type Building, STATUS_ERROR } from "./span.js";

/**
 * The record's steps. Each model call that requested tools is one turn (its calls were issued
 * together); each requested call gets the result of its `execute_tool` span, matched by
 * `gen_ai.tool.call.id`, else the first unmatched tool span of the same name that started after
 * the model call (order). When no model call's content was captured, the tool spans alone give
 * the steps: a tool span belongs to the turn of the last model call that ended before it began.
 */
export function stepsOf(modelCalls: readonly ModelCall[], tools: readonly ToolExecution[]): ToolCallStep[] {
  const unmatched = [...tools];
  const steps: ToolCallStep[] = [];
  let turn = 0;
  let anyOutput = false;
  for (const call of modelCalls) {
    let requested = false;
    for (const message of call.content.output) {
      anyOutput = true;
      for (const request of message.toolCalls) {
        requested = true;
        const index = matchIndex(unmatched, request.id, request.name, call.span.startNs);
        const execution = index === -1 ? undefined : unmatched.splice(index, 1)[0];
        steps.push(step(request.id, turn, request.name, request.arguments, execution));
      }
    }
    if (requested) turn++;
  }
  if (steps.length > 0 || anyOutput) return steps;
  return stepsFromToolSpans(modelCalls, tools);
}

function stepsFromToolSpans(
  modelCalls: readonly ModelCall[],
  tools: readonly ToolExecution[],
): ToolCallStep[] {
  const turns = new Map<number, number>();
  return tools.map((tool) => {
    const before = modelCalls.filter((call) => call.span.endNs <= tool.span.startNs).length - 1;
    if (!turns.has(before)) turns.set(before, turns.size);
    return step(tool.callId, turns.get(before) ?? 0, tool.name, argumentsObject(tool.arguments), tool);
  });
}

/** One step, its keys in the record's order: type, id, turn, name, arguments, result or error (see Building). */
function step(
  id: string | undefined,
  turn: number,
  name: string,
  callArguments: Record<string, unknown>,
  execution: ToolExecution | undefined,
): ToolCallStep {
  const made: Building<ToolCallStep> = { type: "tool_call" };
  if (id !== undefined) made.id = id;
  made.turn = turn;
  made.name = name;
  made.arguments = callArguments;
  if (execution !== undefined) {
    if (execution.span.status.code === STATUS_ERROR) made.error = errorOf(execution);
    else if (execution.result !== undefined) made.result = parseIfJson(execution.result);
  }
  return made as ToolCallStep;
}

function matchIndex(
  tools: readonly ToolExecution[],
  id: string | undefined,
  name: string,
  notBefore: bigint,
): number {
  if (id !== undefined)
    for (let index = 0; index < tools.length; index++) if (tools[index]?.callId === id) return index;
  let anyTime = -1;
  for (let index = 0; index < tools.length; index++) {
    const tool = tools[index] as ToolExecution;
    if (tool.name !== name || tool.callId !== undefined) continue;
    if (tool.span.startNs >= notBefore) return index;
    if (anyTime === -1) anyTime = index;
  }
  return anyTime;
}

/** A failed tool span's error: its status message, else its exception event's. */
function errorOf(tool: ToolExecution): { type: string; message: string } {
  const exception = tool.span.events.find((event) => event.name === "exception");
  const message =
    tool.span.status.message ||
    (exception === undefined ? undefined : stringAttribute(exception.attributes, "exception.message")) ||
    "tool failed";
  const type =
    stringAttribute(tool.span.attributes, "error.type") ??
    (exception === undefined ? undefined : stringAttribute(exception.attributes, "exception.type")) ??
    "tool_error";
  return { type, message };
}
