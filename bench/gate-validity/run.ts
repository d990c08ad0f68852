/**
 * bench/gate-validity: the gate's promise checked by seeded simulation through the project's own
 * decision code (test/statistical/simulation.ts → buildDriftReport → evaluate). Prints
 * P(promote) / P(hold) / P(fail) per scenario and n, fixed and sequential, with Monte-Carlo errors.
 *
 *   npx tsx bench/gate-validity/run.ts [--runs 400] [--sequential-runs 100] [--only NAME] [--part I/K]
 *
 * `--part I/K` runs every K-th case from the I-th, so K processes share the cores.
 */
import { parseArgs } from "node:util";
import type { Policy } from "../../src/gate/policy.js";
import {
  CLEAN,
  FIXTURE_POLICY,
  fixedRuns,
  mcError,
  OVERALL_POLICY,
  type Scenario,
  sequentialRuns,
  type Tally,
} from "../../test/statistical/simulation.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "400" },
    "sequential-runs": { type: "string", default: "100" },
    only: { type: "string" },
    part: { type: "string", default: "0/1" },
  },
});
const runs = Number(values.runs);
const sequentialRunCount = Number(values["sequential-runs"]);

const only = (policy: Policy, guardrails: Policy["guardrails"]): Policy => ({
  ...policy,
  segments: [],
  guardrails,
});

interface Case {
  readonly name: string;
  readonly scenario: Scenario;
  readonly policy: Policy;
  readonly sizes: readonly number[];
  /** The check whose own fail rate is reported (at-the-limit cases). */
  readonly check?: string;
  readonly sequential?: number;
}

const SIZES = [200, 500, 1000, 2000, 4000, 10000];
const DIRECTIONAL: Policy = {
  ...OVERALL_POLICY,
  guardrails: {
    ...OVERALL_POLICY.guardrails,
    score_delta: { task_success: { min: -0.02 } },
    tool_share_delta: { escalate_to_human: { max: 0.05 } },
  },
};
const cases: Case[] = [
  {
    name: "A/A, fixture policy overall",
    scenario: CLEAN,
    policy: OVERALL_POLICY,
    sizes: SIZES,
    sequential: 4000,
  },
  {
    name: "A/A, fixture policy + 5 tenants",
    scenario: CLEAN,
    policy: FIXTURE_POLICY,
    sizes: SIZES,
    sequential: 4000,
  },
  {
    name: "wording-only candidate",
    scenario: { ...CLEAN, wordingOnly: true },
    policy: FIXTURE_POLICY,
    sizes: [200, 1000, 4000],
  },
  {
    name: "drift at its limit (+5 pt)",
    scenario: { ...CLEAN, driftExcess: 0.05 },
    policy: OVERALL_POLICY,
    sizes: SIZES,
    check: "drift_rate",
    sequential: 4000,
  },
  {
    name: "refusal delta at its limit (+2 pt)",
    scenario: { ...CLEAN, refusalDelta: 0.02 },
    policy: only(OVERALL_POLICY, { refusal_rate_delta: { max: 0.02 } }),
    sizes: SIZES,
    check: "refusal_rate_delta",
    sequential: 4000,
  },
  {
    name: "tools-ok delta at its limit (−2 pt)",
    scenario: { ...CLEAN, toolsOkDelta: -0.02 },
    policy: only(OVERALL_POLICY, { tool_call_success_delta: { min: -0.02 } }),
    sizes: SIZES,
    check: "tool_call_success_delta",
    sequential: 4000,
  },
  {
    name: "error rate at its limit (2%)",
    scenario: { ...CLEAN, candidateErrorRate: 0.02 },
    policy: only(OVERALL_POLICY, { error_rate: { max: 0.02 } }),
    sizes: SIZES,
    check: "error_rate",
    sequential: 4000,
  },
  {
    name: "error rate at a zero-event limit (0.5%)",
    scenario: { ...CLEAN, candidateErrorRate: 0.005 },
    policy: only(OVERALL_POLICY, { error_rate: { max: 0.005 } }),
    sizes: [200, 1000, 4000],
    check: "error_rate",
    sequential: 2000,
  },
  {
    name: "cost ratio at its limit (×1.25)",
    scenario: { ...CLEAN, loopShare: 0.25, loopFactor: 2 },
    policy: only(OVERALL_POLICY, { cost_per_task_ratio: { max: 1.25 } }),
    sizes: SIZES,
    check: "cost_per_task_ratio",
    sequential: 4000,
  },
  {
    name: "p95 latency at its limit (×1.3)",
    scenario: { ...CLEAN, latencyScale: 1.3 },
    policy: only(OVERALL_POLICY, { p95_latency_ratio: { max: 1.3 } }),
    sizes: SIZES,
    check: "p95_latency_ratio",
    sequential: 4000,
  },
  {
    name: "+9 pt drift, 50-pair A/A",
    scenario: { ...CLEAN, driftExcess: 0.09, aaRequests: 50 },
    policy: OVERALL_POLICY,
    sizes: [1000, 5000, 10000],
  },
  {
    name: "cost ×1.145 (same median) vs ×1.10, with 6-check family",
    scenario: { ...CLEAN, loopShare: 0.1, loopFactor: 2.45 },
    policy: {
      ...OVERALL_POLICY,
      guardrails: { ...OVERALL_POLICY.guardrails, cost_per_task_ratio: { max: 1.1 } },
    },
    sizes: [500, 1000, 2000, 4000, 10000],
    check: "cost_per_task_ratio",
  },
  {
    name: "5% of tasks loop at 10× vs ×1.25, with 6-check family",
    scenario: { ...CLEAN, loopShare: 0.05, loopFactor: 10 },
    policy: OVERALL_POLICY,
    sizes: [1000],
    check: "cost_per_task_ratio",
  },
  {
    // The case as a one-guardrail policy (as the at-the-limit cells are): no family to
    // share the 2.5% with, so the fail side reads the interval at its own level.
    name: "5% of tasks loop at 10× vs ×1.25, cost guardrail alone",
    scenario: { ...CLEAN, loopShare: 0.05, loopFactor: 10 },
    policy: only(OVERALL_POLICY, { cost_per_task_ratio: { max: 1.25 } }),
    sizes: [1000],
    check: "cost_per_task_ratio",
  },
  {
    name: "A/A, directional policy (task success, escalation share)",
    scenario: CLEAN,
    policy: DIRECTIONAL,
    sizes: SIZES,
    sequential: 4000,
  },
  {
    name: "task success at its limit (−2 pt)",
    scenario: { ...CLEAN, successDelta: -0.02 },
    policy: only(OVERALL_POLICY, { score_delta: { task_success: { min: -0.02 } } }),
    sizes: SIZES,
    check: "score_delta(task_success)",
    sequential: 4000,
  },
  {
    name: "escalation share at its limit (+5 pt)",
    scenario: { ...CLEAN, escalationDelta: 0.05 },
    policy: only(OVERALL_POLICY, { tool_share_delta: { escalate_to_human: { max: 0.05 } } }),
    sizes: SIZES,
    check: "tool_share_delta(escalate_to_human)",
    sequential: 4000,
  },
  {
    name: "task success −8 pt (loses 10%, gains 2%), directional policy",
    scenario: { ...CLEAN, successDelta: -0.08 },
    policy: DIRECTIONAL,
    sizes: [500, 1000],
    check: "score_delta(task_success)",
  },
];

const pct = (count: number, total: number) =>
  `${((100 * count) / total).toFixed(1)}% ±${(100 * mcError(count, total)).toFixed(1)}`;
const line = (label: string, n: string, tally: Tally, check?: string) => {
  const checkFail = check === undefined ? "" : ` | ${pct(tally.checkFails.get(check) ?? 0, tally.runs)}`;
  console.log(
    `| ${label} | ${n} | ${pct(tally.promote, tally.runs)} | ${pct(tally.hold, tally.runs)} | ${pct(tally.fail, tally.runs)}${checkFail} |`,
  );
};

console.log(
  `gate validity: ${runs} runs per fixed cell, ${sequentialRunCount} streams per sequential cell (100 looks)\n`,
);
console.log(
  "| scenario | n | P(promote) | P(hold) | P(fail) | P(check fails) |\n| --- | --- | --- | --- | --- | --- |",
);
const [partIndex, partCount] = (values.part ?? "0/1").split("/").map(Number) as [number, number];
for (const [index, testCase] of cases.entries()) {
  if (values.only !== undefined && !testCase.name.includes(values.only)) continue;
  if (index % partCount !== partIndex) continue;
  for (const n of testCase.sizes) {
    line(
      testCase.name,
      String(n),
      fixedRuns(testCase.scenario, testCase.policy, n, runs, 1000 + n),
      testCase.check,
    );
  }
  if (testCase.sequential !== undefined) {
    const tally = sequentialRuns(
      testCase.scenario,
      testCase.policy,
      testCase.sequential,
      100,
      sequentialRunCount,
      77,
    );
    line(`${testCase.name} (sequential)`, `≤${testCase.sequential}, 100 looks`, tally, testCase.check);
  }
}
