import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../src/api/gate-verdict.js";

async function policyFile(guardrails: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "shadowdiff-policy-")), "gate.yaml");
  await writeFile(path, `version: 1\nguardrails:\n${guardrails}\n`);
  return path;
}

describe("policy limits", () => {
  it("refuse values a guardrail can never take, naming the file and path", async () => {
    for (const [guardrail, path] of [
      ["  drift_rate: { max: -1 }", "/guardrails/drift_rate/max"],
      ["  error_rate: { max: 1.5 }", "/guardrails/error_rate/max"],
      ["  refusal_rate_delta: { max: 2 }", "/guardrails/refusal_rate_delta/max"],
      ["  cost_per_task_ratio: { max: 0 }", "/guardrails/cost_per_task_ratio/max"],
      ["  tool_calls_ratio: { search: { max: -3 } }", "/guardrails/tool_calls_ratio/search/max"],
    ] as const) {
      const file = await policyFile(guardrail);
      await expect(loadPolicy(file), guardrail).rejects.toThrow(`${file}: ${path}`);
    }
  });

  it("accept the limits people write", async () => {
    const file = await policyFile(
      "  drift_rate: { max: 0 }\n  tool_call_success_delta: { min: -0.02 }\n  cost_per_task_ratio: { max: 1.25 }\n  score_delta: { reward: { min: -5 } }",
    );
    await expect(loadPolicy(file)).resolves.toBeDefined();
  });
});
