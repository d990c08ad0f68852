import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ScriptedServer,
  startScriptedModelServer,
  startToolServer,
} from "../../fixtures/model-server/server.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import type { ResolvedRelease } from "../../src/contracts/release.js";
import { diffPair } from "../../src/diff/pair-diff.js";
import { executeCandidate } from "../../src/execute/executor.js";
import { compileRules } from "../../src/normalize/compile-rules.js";
import { resolveRules } from "../../src/normalize/resolve-rules.js";
import { normalizeTrace } from "../../src/normalize/trace.js";
import { loadRelease } from "../../src/release/load.js";

/**
 * Candidate execution against the scripted model server (a FIXTURE speaking the real OpenAI and
 * Anthropic protocols). The fixture's stand-in for the agent's real tools must see no request.
 */
const rules = compileRules(resolveRules(undefined));
const baselines = (await readFile("fixtures/captures/baseline.jsonl", "utf8"))
  .split("\n")
  .filter(Boolean)
  .slice(0, 60)
  .map((line) => JSON.parse(line) as ExchangeRecord);
const byIntent = (intent: string) => baselines.filter((record) => record.labels?.intent === intent);

let models: ScriptedServer;
let tools: Awaited<ReturnType<typeof startToolServer>>;
const releases: Record<string, ResolvedRelease> = {};

beforeAll(async () => {
  models = await startScriptedModelServer();
  tools = await startToolServer();
  for (const name of ["baseline", "candidate-model-upgrade", "lint/clean"]) {
    const release = await loadRelease(`fixtures/releases/${name}.yaml`);
    // The real tool backend is reachable on purpose: the executor must still never call it.
    releases[name] = { ...release, endpoint: { ...release.endpoint, tools_url: tools.url } };
  }
});

afterAll(async () => {
  await models.close();
  await tools.close();
});

const run = (
  release: ResolvedRelease,
  record: ExchangeRecord,
  options: { retries?: number; apiKey?: string } = {},
) =>
  executeCandidate(release, record, {
    endpoint: {
      baseUrl: models.url,
      timeoutMs: 5_000,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    },
    rules,
    maxSteps: 8,
    retries: options.retries ?? 0,
  });

describe.each([
  ["OpenAI Chat Completions", "baseline", "/v1/chat/completions"],
  ["Anthropic Messages", "lint/clean", "/v1/messages"],
])("executing a release over %s", (_protocol, releaseName, path) => {
  it("runs the multi-step tool loop to its final answer, tools answered from the baseline's recordings", async () => {
    const release = releases[releaseName] as ResolvedRelease;
    const refund = byIntent("refund")[0] as ExchangeRecord;
    const before = models.hits.get(path) ?? 0;
    const { response, unrecordedCalls } = await run(release, refund);
    expect(response.error).toBeNull();
    expect(response.steps.map((step) => [step.turn, step.name])).toEqual([
      [0, "lookup_account"],
      [1, "get_order"],
      [2, "refund_order"],
      [3, "send_email"],
    ]);
    // Calls the baseline made with the same canonical arguments get its recorded results ...
    expect(response.steps[0]?.result).toEqual(refund.response.steps[0]?.result);
    expect(response.steps[1]?.result).toEqual(refund.response.steps[1]?.result);
    // ... and a call it never made (the scripted e-mail body differs) gets a synthetic error.
    expect(response.steps[3]?.error).toMatch(/^not recorded in shadow: send_email /);
    expect(unrecordedCalls).toBe(1);
    expect(response.outcome).toMatchObject({
      action: "refund",
      order_id: refund.labels ? expect.any(String) : "",
    });
    expect(response.output).toMatch(/^I've refunded /);
    expect(response.usage.input_tokens).toBeGreaterThan(0);
    expect((models.hits.get(path) ?? 0) - before).toBe(5);
  });

  it("reports a refusal from the protocol's own signal, after escalating as the baseline did", async () => {
    const release = releases[releaseName] as ResolvedRelease;
    const abuse = byIntent("abuse")[0] as ExchangeRecord;
    const { response, unrecordedCalls } = await run(release, abuse);
    expect(response.refusal).toBe(true);
    expect(response.steps.map((step) => step.name)).toEqual(["escalate_to_human"]);
    // The script's escalation is the fixture generator's call: answered from the recording.
    expect(unrecordedCalls).toBe(0);
    expect(response.steps[0]?.result).toEqual(abuse.response.steps[0]?.result);
  });

  it("hands an upset customer to a human after its own calls, as the baseline capture did", async () => {
    const release = releases[releaseName] as ResolvedRelease;
    const upset = baselines.find((record) => JSON.stringify(record.request).includes("I'm fed up!"));
    const { response, unrecordedCalls } = await run(release, upset as ExchangeRecord);
    const names = (steps: readonly { name: string }[]) => steps.map((step) => step.name).sort();
    expect(names(response.steps)).toEqual(names(upset?.response.steps ?? []));
    expect(response.steps.at(-1)?.name).toBe("escalate_to_human");
    expect(unrecordedCalls).toBe(0);
  });
});

describe("executing a release through a generic HTTP agent endpoint", () => {
  it("posts the request and the release, and takes back a validated exchange response", async () => {
    const release = { ...(releases.baseline as ResolvedRelease), endpoint: { protocol: "http-agent" } };
    const before = models.hits.get("/shadow") ?? 0;
    const { response } = await run(release, byIntent("refund")[0] as ExchangeRecord);
    expect(response.error).toBeNull();
    expect(response.steps.map((step) => step.name)).toEqual([
      "lookup_account",
      "get_order",
      "refund_order",
      "send_email",
    ]);
    expect(response.outcome).toMatchObject({ action: "refund" });
    expect((models.hits.get("/shadow") ?? 0) - before).toBe(1);
  });
});

describe("executed candidates are classified as the script implies", () => {
  it("the regressed snapshot reorders the refund across turns and refuses questions it answered", async () => {
    const verdicts = async (record: ExchangeRecord) => {
      const base = await run(releases.baseline as ResolvedRelease, record);
      const cand = await run(releases["candidate-model-upgrade"] as ResolvedRelease, record);
      const trace = (response: typeof base.response) =>
        normalizeTrace({ ...record, response } as ExchangeRecord, rules);
      return diffPair(trace(base.response), trace(cand.response), rules);
    };
    const refund = await verdicts(byIntent("refund")[1] as ExchangeRecord);
    expect(refund.category).toBe("tool_sequence_drift");
    const question = await verdicts(byIntent("general_question")[0] as ExchangeRecord);
    expect(question.category).toBe("refusal_flip");
  });
});

describe("shadow safety and provider failures", () => {
  it("never calls a tool endpoint during a full shadow run", async () => {
    for (const record of baselines) {
      await run(releases.baseline as ResolvedRelease, record);
      await run(releases["candidate-model-upgrade"] as ResolvedRelease, record);
    }
    expect(tools.hits()).toBe(0);
  });

  it("retries a scripted 429 (honouring Retry-After) and a 500, and keeps the API key out of everything", async () => {
    const flaky = {
      ...(releases.baseline as ResolvedRelease),
      model: { provider: "openai", snapshot: "flaky-2025-01-01" },
    };
    const started = Date.now();
    const ok = await run(flaky, baselines[0] as ExchangeRecord, { retries: 3, apiKey: "sk-test-SECRET-123" });
    expect(ok.response.error).toBeNull();
    expect(ok.response.output).toBe("ok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(JSON.stringify(ok)).not.toContain("SECRET");
  });

  it("turns a provider failure without retries into the record's error, not an exception", async () => {
    const missing = {
      ...(releases.baseline as ResolvedRelease),
      model: { provider: "openai", snapshot: "no-such-model-2025-01-01" },
    };
    const failed = await run(missing, baselines[0] as ExchangeRecord, { apiKey: "sk-test-SECRET-456" });
    expect(failed.response.error?.type).toBe("provider");
    expect(failed.response.error?.message).toMatch(/HTTP 404 model no-such-model-2025-01-01 not found/);
    expect(JSON.stringify(failed)).not.toContain("SECRET");
  });
});
