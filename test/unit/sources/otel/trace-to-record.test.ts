import { describe, expect, it } from "vitest";
import type { AttributeValue, OtelLogRecord, OtelSpan } from "../../../../src/sources/otel/span.js";
import { traceToRecord } from "../../../../src/sources/otel/trace-to-record.js";
import { span } from "./spans.js";

const agent = span("t", "1", null, {
  "gen_ai.operation.name": "invoke_agent",
  "gen_ai.conversation.id": "conv-9",
  "enduser.id": "globex/u-3",
  "app.intent": "refund",
  "shadowdiff.release.id": "sha256:release-b",
  "shadowdiff.outcome": '{"action":"refund"}',
});

function chat(id: string, start: number, attributes: Record<string, string | number | string[]>): OtelSpan {
  return span(
    "t",
    id,
    "1",
    { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic", ...attributes },
    { start, end: start + 5 },
  );
}

function trace(spans: readonly OtelSpan[]) {
  return { traceId: "t".padStart(32, "0"), spans, logs: [] };
}

describe("traceToRecord, current conventions", () => {
  const first = chat("2", 1, {
    "gen_ai.response.model": "claude-sonnet-4-5-20250929",
    "gen_ai.input.messages": JSON.stringify([
      { role: "user", parts: [{ type: "text", content: "refund ORD-1" }] },
    ]),
    "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "be kind" }]),
    "gen_ai.output.messages": JSON.stringify([
      {
        role: "assistant",
        parts: [
          { type: "tool_call", id: "c1", name: "get_order", arguments: { order_id: "ORD-1" } },
          { type: "tool_call", id: "c2", name: "lookup_account", arguments: { email: "a@b.c" } },
        ],
        finish_reason: "tool_call",
      },
    ]),
    "gen_ai.usage.input_tokens": 100,
    "gen_ai.usage.output_tokens": 10,
  });
  const toolA = span(
    "t",
    "3",
    "1",
    {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "lookup_account",
      "gen_ai.tool.call.id": "c2",
      "gen_ai.tool.call.result": '{"id":"cus_1"}',
    },
    { start: 7, end: 8 },
  );
  const toolB = span(
    "t",
    "4",
    "1",
    { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_order" },
    { start: 7, end: 9 },
    { code: 2, message: "no such order" },
  );
  const last = chat("5", 10, {
    "gen_ai.response.model": "claude-sonnet-4-5-20250929",
    "gen_ai.output.messages": JSON.stringify([
      { role: "assistant", parts: [{ type: "text", content: "Done." }], finish_reason: "stop" },
    ]),
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.usage.input_tokens": 200,
    "gen_ai.usage.output_tokens": 5,
  });

  it("makes one record: steps matched by call id, else by name and order; usage summed; labels; release", () => {
    const mapped = traceToRecord(trace([last, toolB, agent, first, toolA]), "otlp:f.jsonl");
    if (!mapped.ok) throw mapped.error;
    const { record } = mapped;
    expect(record).toMatchObject({
      id: "t".padStart(32, "0"),
      session: "conv-9",
      labels: { tenant: "globex", intent: "refund" },
      release: {
        id: "sha256:release-b",
        model: "anthropic/claude-sonnet-4-5-20250929",
        name: "agent",
        version: "2.0.0",
      },
      request: {
        messages: [
          { role: "system", content: "be kind" },
          { role: "user", content: "refund ORD-1" },
        ],
      },
    });
    expect(record.response).toEqual({
      steps: [
        {
          type: "tool_call",
          id: "c1",
          turn: 0,
          name: "get_order",
          arguments: { order_id: "ORD-1" },
          error: { type: "tool_error", message: "no such order" },
        },
        {
          type: "tool_call",
          id: "c2",
          turn: 0,
          name: "lookup_account",
          arguments: { email: "a@b.c" },
          result: { id: "cus_1" },
        },
      ],
      output: "Done.",
      outcome: { action: "refund" },
      refusal: false,
      stop_reason: "stop",
      usage: { input_tokens: 300, output_tokens: 15 },
      latency_ms: 10,
      error: null,
    });
    expect(record.release.prompt).toMatch(/^sha256:/);
  });

  it("takes a refusal from a content_filter finish reason and an error from the agent span's status", () => {
    const refused = chat("5", 10, {
      "gen_ai.response.model": "m-1",
      "gen_ai.response.finish_reasons": ["content_filter"],
    });
    const failed = { ...agent, status: { code: 2 as const, message: "timed out" } };
    const mapped = traceToRecord(trace([failed, refused]), "s");
    if (!mapped.ok) throw mapped.error;
    expect(mapped.record.response).toMatchObject({
      refusal: true,
      error: { type: "agent_error", message: "timed out" },
    });
  });
});

describe("traceToRecord, older and other conventions", () => {
  it("reads gen_ai.content.prompt / gen_ai.content.completion span events", () => {
    const call = {
      ...chat("2", 1, { "gen_ai.response.model": "gpt-4o-2024-08-06", "gen_ai.system": "openai" }),
      events: [
        {
          name: "gen_ai.content.prompt",
          timeNs: 1n,
          attributes: { "gen_ai.prompt": '[{"role":"user","content":"hi"}]' },
        },
        {
          name: "gen_ai.content.completion",
          timeNs: 2n,
          attributes: { "gen_ai.completion": '[{"role":"assistant","content":"hello"}]' },
        },
      ],
    };
    const mapped = traceToRecord(trace([agent, call]), "s");
    if (!mapped.ok) throw mapped.error;
    expect(mapped.record.request.messages).toEqual([{ role: "user", content: "hi" }]);
    expect(mapped.record.response.output).toBe("hello");
    expect(mapped.record.release.model).toBe("anthropic/gpt-4o-2024-08-06");
  });

  it("puts a system message log first when the call's events share one timestamp and arrive out of order", () => {
    const call = chat("2", 1, { "gen_ai.response.model": "gpt-4o" });
    const log = (eventName: string, body: { readonly [key: string]: AttributeValue }): OtelLogRecord => ({
      traceId: call.traceId,
      spanId: call.spanId,
      timeNs: 5n,
      eventName,
      attributes: {},
      body,
      resource: {},
    });
    // As instrumentation-openai stamps them (one Date.now() per call), sent one request per record.
    const logs = [
      log("gen_ai.user.message", { content: "hi" }),
      log("gen_ai.choice", { index: 0, finish_reason: "stop", message: { content: "hello" } }),
      log("gen_ai.system.message", { content: "be brief" }),
    ];
    const mapped = traceToRecord({ ...trace([agent, call]), logs }, "s");
    if (!mapped.ok) throw mapped.error;
    expect(mapped.record.request.messages).toEqual([
      { role: "system", content: "be brief" },
      { role: "user", content: "hi" },
    ]);
    expect(mapped.record.response.output).toBe("hello");
  });

  it("gives steps from tool spans alone when no model call's content was captured", () => {
    const bare = chat("2", 1, { "gen_ai.response.model": "m-1" });
    const tool = span(
      "t",
      "3",
      "1",
      {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "get_order",
        "gen_ai.tool.call.arguments": '{"order_id":"O-1"}',
      },
      { start: 7, end: 8 },
    );
    const mapped = traceToRecord(trace([agent, bare, tool]), "s");
    if (!mapped.ok) throw mapped.error;
    expect(mapped.record.response.steps).toEqual([
      { type: "tool_call", turn: 0, name: "get_order", arguments: { order_id: "O-1" } },
    ]);
  });
});

describe("traceToRecord, traces that make no record", () => {
  it("names the trace id when there is no model call", () => {
    const mapped = traceToRecord(trace([agent]), "otlp:f.jsonl");
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.error.code).toBe("UNUSABLE_TRACE");
    expect(mapped.error.message).toContain(`trace ${"t".padStart(32, "0")} has no model call`);
    expect(mapped.error.context.recordId).toBe("t".padStart(32, "0"));
  });

  it("names what is missing when no model call names its model", () => {
    const mapped = traceToRecord(trace([agent, chat("2", 1, {})]), "s");
    expect(mapped.ok || mapped.error.message).toMatch(/names no model/);
  });
});
