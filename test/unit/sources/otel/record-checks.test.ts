import { describe, expect, it } from "vitest";
import { MAX_STEPS } from "../../../../src/contracts/exchange.js";
import { validateExchangeValue } from "../../../../src/contracts/validate-record.js";
import { isoTime } from "../../../../src/sources/otel/iso-time.js";
import type { OtelSpan } from "../../../../src/sources/otel/span.js";
import { traceToRecord } from "../../../../src/sources/otel/trace-to-record.js";
import { span } from "./spans.js";

// The mapping no longer runs Ajv (the store path validates once); these say what it must still
// refuse itself, and that what it makes passes the whole contract.

const agent = span("t", "1", null, { "gen_ai.operation.name": "invoke_agent" });

function chat(id: string, start: number, output: unknown, input?: unknown): OtelSpan {
  return span(
    "t",
    id,
    "1",
    {
      "gen_ai.operation.name": "chat",
      "gen_ai.response.model": "gpt-4o",
      "gen_ai.output.messages": JSON.stringify(output),
      ...(input === undefined ? {} : { "gen_ai.input.messages": JSON.stringify(input) }),
    },
    { start, end: start + 5 },
  );
}

const trace = (spans: readonly OtelSpan[]) => ({ traceId: "t".padStart(32, "0"), spans, logs: [] });
const calls = (count: number, name = "get_order") => [
  {
    role: "assistant",
    parts: Array.from({ length: count }, (_, n) => ({ type: "tool_call", id: `c${n}`, name, arguments: {} })),
  },
];

describe("traceToRecord, records the contract would refuse", () => {
  it("makes records that pass the exchange contract's validator", () => {
    const user = [{ role: "user", parts: [{ type: "text", content: "hi" }] }];
    const mapped = traceToRecord(trace([agent, chat("2", 1, calls(3), user)]), "s");
    if (!mapped.ok) throw mapped.error;
    const validated = validateExchangeValue(mapped.record, { source: "s", line: 1 });
    expect(validated.ok || validated.error.message).toBe(true);
  });

  it(`dead-letters a trace asking for more than ${MAX_STEPS} tool calls, naming the trace`, () => {
    const atLimit = traceToRecord(trace([agent, chat("2", 1, calls(MAX_STEPS))]), "s");
    expect(atLimit.ok).toBe(true);
    const over = traceToRecord(trace([agent, chat("2", 1, calls(MAX_STEPS + 1))]), "s");
    expect(over.ok).toBe(false);
    if (over.ok) return;
    expect(over.error.code).toBe("UNUSABLE_TRACE");
    expect(over.error.message).toContain(
      `trace ${"t".padStart(32, "0")} does not make a valid exchange record`,
    );
    expect(over.error.message).toContain(`${MAX_STEPS + 1} tool calls`);
  });

  it("dead-letters an empty tool name and an empty role, with the JSON path", () => {
    const unnamed = traceToRecord(trace([agent, chat("2", 1, calls(1, ""))]), "s");
    expect(unnamed.ok || unnamed.error.message).toContain("/response/steps/0/name is empty");
    const roleless = [{ role: "", parts: [{ type: "text", content: "hi" }] }];
    const noRole = traceToRecord(trace([agent, chat("2", 1, [], roleless)]), "s");
    expect(noRole.ok || noRole.error.message).toContain("/request/messages/0/role is empty");
  });

  it("dead-letters arguments nested deeper than the record limit, and keeps a value just inside it", () => {
    const nested = (depth: number) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`) as unknown;
    // The arguments object is level 5 of the record (record, response, steps, step, arguments).
    const output = (depth: number) => [
      { role: "assistant", parts: [{ type: "tool_call", name: "t", arguments: { deep: nested(depth) } }] },
    ];
    expect(traceToRecord(trace([agent, chat("2", 1, output(995))]), "s").ok).toBe(true);
    const deep = traceToRecord(trace([agent, chat("2", 1, output(996))]), "s");
    expect(deep.ok || deep.error.message).toContain("nested deeper than 1000 levels");
    // The contract's own check agrees on where the line is.
    const inside = traceToRecord(trace([agent, chat("2", 1, output(995))]), "s");
    if (!inside.ok) throw inside.error;
    expect(validateExchangeValue(inside.record, { source: "s", line: 1 }).ok).toBe(true);
  });
});

describe("isoTime", () => {
  it("equals Date.toISOString at day, year and leap-year edges and on ordinary times", () => {
    const times = [
      0, 1, 999, 1_000, 59_999, 3_599_999, 86_399_999, 86_400_000, 951_782_400_000, 1_700_000_000_123,
    ];
    for (let n = 0; n < 2_000; n++) times.push(Math.floor((n * 7_919_000_000_123) % 1e14));
    for (const ms of times) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
