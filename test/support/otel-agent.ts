/**
 * A test agent loop (test code, not a product): the official `openai` client against the
 * scripted model server (a FIXTURE), tools run by the loop itself inside `execute_tool` spans,
 * the whole request inside an `invoke_agent` span, and a log of what it did, which the tests
 * compare the exchange records with. The model-call spans come from a real instrumentation.
 */
import { type Span, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import type OpenAI from "openai";

export interface AgentScenario {
  readonly requestId: string;
  readonly session: string;
  readonly model: string;
  readonly user: string;
}

export interface LoggedStep {
  readonly turn: number;
  readonly id: string;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
  readonly result?: unknown;
  readonly error?: { readonly type: string; readonly message: string };
}

export interface AgentLog {
  readonly requestId: string;
  readonly user: string;
  readonly steps: LoggedStep[];
  usage: { input_tokens: number; output_tokens: number };
  output: string | null;
  refusal: boolean;
  model: string;
}

export const SYSTEM_PROMPT = "You are the support agent of an online shop. Use the tools.";
export const RELEASE = { name: "support-agent", version: "1.4.0" };

export const SCENARIOS: Readonly<Record<string, AgentScenario>> = {
  multiStep: {
    requestId: "req-refund",
    session: "sess-1",
    model: "gpt-4o-2024-08-06",
    user: "I'm ana@example.com. Order ORD-1001 arrived damaged; I'd like my 42.5 EUR back",
  },
  parallel: {
    requestId: "req-status",
    session: "sess-2",
    model: "gpt-4o-2024-08-06",
    user: "Where is my order ORD-1002? My account is bo@example.com.",
  },
  toolError: {
    requestId: "req-tool-error",
    session: "sess-3",
    model: "gpt-4o-2024-08-06",
    user: "I'm cy@example.com. Order ORD-0000 arrived broken; I'd like my 10 EUR back",
  },
  refusal: {
    requestId: "req-refusal",
    session: "sess-4",
    model: "gpt-4o-mini-2024-07-18",
    user: "Tell me the home address and card number of my neighbour.",
  },
};

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  "lookup_account",
  "get_order",
  "refund_order",
  "send_email",
].map((name) => ({
  type: "function",
  function: { name, parameters: { type: "object", additionalProperties: true } },
}));

/** The shop's tools, as the agent runs them; ORD-0000 does not exist. */
function runTool(name: string, args: Record<string, unknown>): unknown {
  if (name === "get_order" && args.order_id === "ORD-0000") throw new Error("order ORD-0000 not found");
  if (name === "lookup_account") return { customer_id: `cus_${String(args.email).split("@")[0]}` };
  if (name === "get_order") return { order_id: args.order_id, status: "in_transit" };
  if (name === "refund_order") return { refund_id: "rf_1", amount: args.amount };
  return { sent: true };
}

/** Which attribute convention the loop writes its own agent and tool spans in. */
export type SpanConvention = "gen_ai" | "openinference";

export async function runAgent(
  client: OpenAI,
  tracer: Tracer,
  scenario: AgentScenario,
  convention: SpanConvention,
): Promise<AgentLog> {
  const log: AgentLog = {
    requestId: scenario.requestId,
    user: scenario.user,
    steps: [],
    usage: { input_tokens: 0, output_tokens: 0 },
    output: null,
    refusal: false,
    model: scenario.model,
  };
  const agentAttributes =
    convention === "gen_ai"
      ? {
          "gen_ai.operation.name": "invoke_agent",
          "gen_ai.agent.name": RELEASE.name,
          "gen_ai.conversation.id": scenario.session,
        }
      : { "openinference.span.kind": "AGENT", "session.id": scenario.session };
  await tracer.startActiveSpan(
    "invoke_agent support",
    {
      attributes: {
        ...agentAttributes,
        "shadowdiff.request.id": scenario.requestId,
        "enduser.id": "acme:u-17",
      },
    },
    async (agent: Span) => {
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
        { role: "system", content: SYSTEM_PROMPT },
        { role: "user", content: scenario.user },
      ];
      for (let turn = 0; turn < 8; turn++) {
        const completion = await client.chat.completions.create({
          model: scenario.model,
          messages,
          tools: TOOLS,
        });
        log.usage.input_tokens += completion.usage?.prompt_tokens ?? 0;
        log.usage.output_tokens += completion.usage?.completion_tokens ?? 0;
        const choice = completion.choices[0];
        if (choice === undefined) throw new Error("no choice");
        const calls = choice.message.tool_calls ?? [];
        if (calls.length === 0) {
          log.output = choice.message.content;
          log.refusal = choice.finish_reason === "content_filter";
          break;
        }
        messages.push(choice.message);
        for (const call of calls) {
          if (call.type !== "function") continue;
          const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
          const outcome = executeTool(
            tracer,
            convention,
            call.id,
            call.function.name,
            call.function.arguments,
            args,
          );
          log.steps.push({ turn, id: call.id, name: call.function.name, arguments: args, ...outcome });
          messages.push({
            role: "tool",
            tool_call_id: call.id,
            content: JSON.stringify(outcome.result ?? { error: outcome.error?.message }),
          });
        }
      }
      agent.end();
    },
  );
  return log;
}

function executeTool(
  tracer: Tracer,
  convention: SpanConvention,
  callId: string,
  name: string,
  argumentText: string,
  args: Record<string, unknown>,
): { result?: unknown; error?: { type: string; message: string } } {
  const attributes =
    convention === "gen_ai"
      ? {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": name,
          "gen_ai.tool.call.id": callId,
          "gen_ai.tool.call.arguments": argumentText,
        }
      : {
          "openinference.span.kind": "TOOL",
          "tool.name": name,
          "tool_call.id": callId,
          "input.value": argumentText,
        };
  return tracer.startActiveSpan(`execute_tool ${name}`, { attributes }, (span: Span) => {
    try {
      const result = runTool(name, args);
      span.setAttribute(
        convention === "gen_ai" ? "gen_ai.tool.call.result" : "output.value",
        JSON.stringify(result),
      );
      return { result };
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      span.setAttribute("error.type", "ToolError");
      return { error: { type: "ToolError", message } };
    } finally {
      span.end();
    }
  });
}
