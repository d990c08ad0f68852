import { expect } from "vitest";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import { type AgentLog, RELEASE, SYSTEM_PROMPT } from "./otel-agent.js";

/** The record must say exactly what the agent loop did: steps, arguments, results, usage, output. */
export function expectRecordMatchesLog(record: ExchangeRecord, log: AgentLog): void {
  expect(record.id).toBe(log.requestId);
  // Only the model call's content (span attributes or log events) holds these.
  expect(record.request.messages).toEqual([
    { role: "system", content: SYSTEM_PROMPT },
    { role: "user", content: log.user },
  ]);
  expect(
    record.response.steps.map((step) => ({
      turn: step.turn,
      id: step.id,
      name: step.name,
      arguments: step.arguments,
      ...(step.result === undefined ? {} : { result: step.result }),
      ...(step.error === undefined ? {} : { error: step.error }),
    })),
  ).toEqual(log.steps);
  expect(record.response.usage).toMatchObject(log.usage);
  expect(record.response.output).toBe(log.output);
  expect(record.response.refusal).toBe(log.refusal);
  expect(record.response.error).toBeNull();
  expect(record.release).toMatchObject({
    name: RELEASE.name,
    version: RELEASE.version,
    model: `openai/${log.model}`,
  });
  expect(record.release.id).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(record.release.prompt).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(record.labels).toMatchObject({ tenant: "acme" });
}

/** The scenarios did what they are for, so a record check above cannot pass on empty logs. */
export function expectScenariosCovered(logs: readonly AgentLog[]): void {
  const byId = new Map(logs.map((log) => [log.requestId, log]));
  expect(byId.get("req-refund")?.steps.map((step) => [step.turn, step.name])).toEqual([
    [0, "lookup_account"],
    [1, "get_order"],
    [2, "refund_order"],
    [3, "send_email"],
  ]);
  expect(byId.get("req-status")?.steps.map((step) => step.turn)).toEqual([0, 0]);
  expect(byId.get("req-tool-error")?.steps[1]?.error).toEqual({
    type: "ToolError",
    message: "order ORD-0000 not found",
  });
  expect(byId.get("req-refusal")?.refusal).toBe(true);
  expect(byId.get("req-refund")?.output).toContain("I've refunded 42.5 EUR");
}
