import { describe, expect, it } from "vitest";
import { CLEAN, FIXTURE_POLICY, fixedRuns, mcError, OVERALL_POLICY, sequentialRuns } from "./simulation.js";

/**
 * The short CI version of bench/gate-validity: a few cells of the table, seeded, through the
 * project's own builder and gate. Bounds allow three Monte-Carlo standard errors; the full table
 * (more runs, every n) is in docs/SEMANTICS.md.
 */
const RUNS = 120;
const within = (count: number, runs: number, rate: number) => count / runs <= rate + 3 * mcError(count, runs);

// Seeded and CPU-bound: a cell takes 2–5 s alone and more beside other test files, so vitest's
// 5 s default timed one out with four workers (a clock race, not a result). Time is not what
// these tests check; bench/gate-validity measures nothing about speed either.
describe("gate validity (seeded simulation, short)", { timeout: 60_000 }, () => {
  it("A/A with the fixture policy: no false fail, and promoted by 2,000 pairs", () => {
    const tally = fixedRuns(CLEAN, OVERALL_POLICY, 2000, RUNS, 11);
    expect(within(tally.fail, tally.runs, 0.025)).toBe(true);
    expect(tally.promote / tally.runs).toBeGreaterThanOrEqual(0.8);
  });

  it("A/A with 5 tenant segments: no false fail at 4,000 pairs", () => {
    const tally = fixedRuns(CLEAN, FIXTURE_POLICY, 4000, 60, 13);
    expect(within(tally.fail, tally.runs, 0.025)).toBe(true);
  });

  it("drift exactly at its limit is not promoted, and its check does not fail beyond 2.5%", () => {
    const tally = fixedRuns({ ...CLEAN, driftExcess: 0.05 }, OVERALL_POLICY, 2000, RUNS, 17);
    expect(within(tally.promote, tally.runs, 0.025)).toBe(true);
    expect(within(tally.checkFails.get("drift_rate") ?? 0, tally.runs, 0.025)).toBe(true);
  });

  it("a +9 pt drift with a 50-pair A/A is not promoted", () => {
    const tally = fixedRuns({ ...CLEAN, driftExcess: 0.09, aaRequests: 50 }, OVERALL_POLICY, 5000, 60, 19);
    expect(tally.promote).toBe(0);
  });

  it("5% of tasks looping at 10x cost is never promoted against x1.25 at 1,000 pairs", () => {
    // Power to *fail* it at 1,000 pairs is 78% (2,500 runs, docs/BENCHMARKS.md); it must never
    // pass. 60% keeps three standard errors of 60 runs below that.
    const tally = fixedRuns({ ...CLEAN, loopShare: 0.05, loopFactor: 10 }, OVERALL_POLICY, 1000, 60, 23);
    expect(tally.promote).toBe(0);
    expect(tally.checkPasses.get("cost_per_task_ratio") ?? 0).toBe(0);
    expect((tally.checkFails.get("cost_per_task_ratio") ?? 0) / tally.runs).toBeGreaterThanOrEqual(0.6);
  });

  it("sequential A/A over 100 looks: no false fail", { timeout: 120_000 }, () => {
    const tally = sequentialRuns(CLEAN, OVERALL_POLICY, 1500, 100, 20, 29);
    expect(tally.fail).toBe(0);
  });

  it("task success exactly at its limit is not promoted; its check does not fail beyond 2.5%", () => {
    const policy = { ...OVERALL_POLICY, guardrails: { score_delta: { task_success: { min: -0.02 } } } };
    const tally = fixedRuns({ ...CLEAN, successDelta: -0.02 }, policy, 2000, RUNS, 31);
    expect(within(tally.promote, tally.runs, 0.025)).toBe(true);
    expect(within(tally.checkFails.get("score_delta(task_success)") ?? 0, tally.runs, 0.025)).toBe(true);
  });

  it("A/A with task success and escalation-share guardrails: no false fail", () => {
    const policy = {
      ...OVERALL_POLICY,
      guardrails: {
        ...OVERALL_POLICY.guardrails,
        score_delta: { task_success: { min: -0.02 } },
        tool_share_delta: { escalate_to_human: { max: 0.05 } },
      },
    };
    const tally = fixedRuns(CLEAN, policy, 2000, RUNS, 37);
    expect(within(tally.fail, tally.runs, 0.025)).toBe(true);
  });

  it("A/A judge preference (the judge prefers either side equally): no false fail beyond 2.5%", () => {
    const policy = { ...OVERALL_POLICY, guardrails: { score_delta: { judge: { min: -0.02 } } } };
    const tally = fixedRuns(CLEAN, policy, 2000, RUNS, 37);
    expect(within(tally.checkFails.get("score_delta(judge)") ?? 0, tally.runs, 0.025)).toBe(true);
    // No promise of power here: with 30% of pairs decided either way, 2,000 pairs give a ±2.4 pt
    // interval, wider than the 2 pt margin, so about 40% of these runs promote and the rest hold.
    expect(tally.fail).toBe(tally.checkFails.get("score_delta(judge)") ?? 0);
  });

  it("a judge preference exactly at its limit is not promoted beyond 2.5%, and a worse one fails", () => {
    const policy = { ...OVERALL_POLICY, guardrails: { score_delta: { judge: { min: -0.02 } } } };
    const atLimit = fixedRuns({ ...CLEAN, judgeDelta: -0.02 }, policy, 2000, RUNS, 41);
    expect(within(atLimit.promote, atLimit.runs, 0.025)).toBe(true);
    const worse = fixedRuns({ ...CLEAN, judgeDelta: -0.2 }, policy, 2000, 30, 43);
    expect(worse.checkFails.get("score_delta(judge)") ?? 0).toBe(worse.runs);
  });
});
