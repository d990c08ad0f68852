/**
 * The gate-validity simulation: seeded pairs from a scenario, aggregated into exactly the shape the
 * store reader decodes (`SegmentAggregate`: counts, exact moments, exact quantiles at the reader's
 * levels), then through the project's own pure report builder and gate (`buildDriftReport`,
 * `evaluate`). Nothing here decides anything: it only counts what the decision code decided.
 */

import { LATENCY_LEVELS } from "../../src/analyze/aggregate-queries.js";
import type {
  AaSegment,
  ScoreAggregate,
  SegmentAggregate,
  ToolAggregate,
} from "../../src/analyze/report-aggregate.js";
import { buildDriftReport } from "../../src/analyze/report-builder.js";
import type { ReportData } from "../../src/analyze/report-reader.js";
import { emptyCategoryCounts } from "../../src/diff/category.js";
import { checkName } from "../../src/gate/check-name.js";
import { evaluate } from "../../src/gate/evaluate.js";
import type { Policy } from "../../src/gate/policy.js";
import type { GuardrailResult, Verdict } from "../../src/gate/results.js";
import { mulberry32 } from "../../src/stats/index.js";
import { addCostPair, costMoments, drawCosts, newCostSums, normalFrom } from "./cost-simulation.js";
import { judgeScoreOf, judgeVerdictOf } from "./judge-simulation.js";

/** One simulated request: what the store would hold for its candidate pair and its A/A pair. */
export interface SimPair {
  readonly tenant: string;
  readonly baselineRefusal: boolean;
  readonly candidateRefusal: boolean;
  readonly baselineError: boolean;
  readonly candidateError: boolean;
  readonly baselineToolsOk: boolean;
  readonly candidateToolsOk: boolean;
  readonly baselineCost: number;
  readonly candidateCost: number;
  readonly baselineLatency: number;
  readonly candidateLatency: number;
  /** Candidate behaviour differs from the baseline (raw). */
  readonly differs: boolean;
  readonly textDiffers: boolean;
  /** A record score (task success, 0/1) and an escalation tool's calls, both sides. */
  readonly baselineSuccess: boolean;
  readonly candidateSuccess: boolean;
  readonly baselineEscalations: number;
  readonly candidateEscalations: number;
  /** The pairwise judge's verdict on the pair, for the candidate (both orders already combined). */
  readonly judgeVerdict: "better" | "same" | "worse";
  /** The request's A/A pair: absent when the A/A run does not cover it. */
  readonly aa: { readonly completed: boolean; readonly differs: boolean } | null;
}

export interface Scenario {
  readonly name: string;
  /** Baseline self-disagreement on behaviour (A/A drift), and the candidate's excess over it. */
  readonly noise: number;
  readonly driftExcess: number;
  readonly refusalDelta: number;
  readonly toolsOkDelta: number;
  readonly candidateErrorRate: number;
  /** Candidate cost per task: a share of tasks costs `loopFactor` times the baseline's (same median). */
  readonly loopShare: number;
  readonly loopFactor: number;
  /** Candidate latency distribution scaled by this (the p95 ratio exactly). */
  readonly latencyScale: number;
  /** Requests the A/A run covers; Infinity = all of them. */
  readonly aaRequests: number;
  readonly wordingOnly?: boolean;
  /** Task success: the candidate's change in the share of tasks solved (flips 5% each way at 0). */
  readonly successDelta?: number;
  /** Escalation tool: the candidate's change in the share of tasks calling it (8% on the baseline). */
  readonly escalationDelta?: number;
  /** Judge: the candidate's net preference (better − worse); at 0 it prefers either 15% of the time. */
  readonly judgeDelta?: number;
}

export const CLEAN: Scenario = {
  name: "A/A (clean candidate)",
  noise: 0.2,
  driftExcess: 0,
  refusalDelta: 0,
  toolsOkDelta: 0,
  candidateErrorRate: 0.005,
  loopShare: 0,
  loopFactor: 1,
  latencyScale: 1,
  aaRequests: Number.POSITIVE_INFINITY,
};

const BASELINE_REFUSAL = 0.07;
const BASELINE_TOOLS_OK = 0.96;
const BASELINE_ERROR = 0.005;
const TENANTS = ["acme", "globex", "initech", "umbrella", "hooli"];

/** Per-request hardness makes the candidate's and the A/A's differences correlated, as in real runs. */
const HARD_SHARE = 0.3;

export function generatePairs(scenario: Scenario, n: number, seed: number): SimPair[] {
  const random = mulberry32(seed);
  const normal = normalFrom(random);
  const bernoulli = (p: number) => random() < p;
  // Within-request correlation: hard requests differ 2x as often as easy ones (mean = noise).
  const hardRate = (mean: number) => Math.min(1, (2 * mean) / (1 + HARD_SHARE));
  const easyRate = (mean: number) => hardRate(mean) / 2;
  // The judge draws from a stream of its own, so adding it left every other scenario's pairs as they were.
  const judgeRandom = mulberry32(seed ^ 0x5bd1e995);
  const pairs: SimPair[] = [];
  for (let i = 0; i < n; i++) {
    const hard = bernoulli(HARD_SHARE);
    const rateOf = (mean: number) => (hard ? hardRate(mean) : easyRate(mean));
    const baselineRefusal = bernoulli(BASELINE_REFUSAL);
    // Refusal flips: a symmetric noise of 1% each way, plus the scenario's delta as new refusals.
    const flip = 0.01;
    const candidateRefusal = baselineRefusal
      ? !bernoulli(flip / BASELINE_REFUSAL)
      : bernoulli((flip + scenario.refusalDelta) / (1 - BASELINE_REFUSAL));
    const baselineToolsOk = bernoulli(BASELINE_TOOLS_OK);
    const toolFlip = 0.01;
    const candidateToolsOk = baselineToolsOk
      ? !bernoulli((toolFlip - scenario.toolsOkDelta) / BASELINE_TOOLS_OK)
      : bernoulli(toolFlip / (1 - BASELINE_TOOLS_OK));
    const [baselineCost, candidateCost] = drawCosts(scenario, random, normal);
    const baselineLatency = 3000 * Math.exp(0.35 * normal());
    const candidateLatency = scenario.latencyScale * 3000 * Math.exp(0.35 * normal());
    const aaCovered = i < scenario.aaRequests;
    // Task success 60% on the baseline; the candidate flips 5% of tasks each way, plus its delta.
    const baselineSuccess = bernoulli(0.6);
    const successFlip = 0.05;
    const successDelta = scenario.successDelta ?? 0;
    const candidateSuccess = baselineSuccess
      ? !bernoulli((successFlip - Math.min(0, successDelta)) / 0.6)
      : bernoulli((successFlip + Math.max(0, successDelta)) / 0.4);
    const baselineEscalations = bernoulli(0.08) ? 1 : 0;
    const escalationDelta = scenario.escalationDelta ?? 0;
    const candidateEscalations = baselineEscalations
      ? bernoulli(1 - 0.02 / 0.08)
        ? 1
        : 0
      : bernoulli((0.02 + escalationDelta) / 0.92)
        ? 1
        : 0;
    pairs.push({
      tenant: TENANTS[Math.floor(random() * TENANTS.length)] as string,
      baselineRefusal,
      candidateRefusal,
      baselineError: bernoulli(BASELINE_ERROR),
      candidateError: bernoulli(scenario.candidateErrorRate),
      baselineToolsOk,
      candidateToolsOk,
      baselineCost,
      candidateCost,
      baselineLatency,
      candidateLatency,
      // Both runs also differ through refusal flips (2% of pairs either way), so an excess x on
      // behaviour moves net drift by 0.98·x: scale it so net drift moves by exactly driftExcess.
      differs: bernoulli(rateOf(scenario.noise + scenario.driftExcess / 0.98)),
      textDiffers: scenario.wordingOnly === true || bernoulli(0.4),
      baselineSuccess,
      candidateSuccess,
      baselineEscalations,
      candidateEscalations,
      judgeVerdict: judgeVerdictOf(judgeRandom(), scenario.judgeDelta ?? 0),
      // The A/A replica flips refusals as a clean candidate does (1% each way, 2% in all).
      aa: aaCovered
        ? {
            completed: !bernoulli(BASELINE_ERROR),
            differs: bernoulli(rateOf(scenario.noise)) || bernoulli(0.02),
          }
        : null,
    });
  }
  return pairs;
}

/** The reader's aggregate of a set of pairs (exact, as SQL computes it). */
export function aggregate(pairs: readonly SimPair[], dimension: string, segment: string): SegmentAggregate {
  const categories = emptyCategoryCounts();
  const pathsets = new Map<string, { category: keyof typeof categories; paths: string[]; count: number }>();
  const binary = () => ({ baseline: 0, candidate: 0, gained: 0, lost: 0 });
  const refusal = binary();
  const errors = binary();
  const toolsOk = binary();
  const count = (counts: ReturnType<typeof binary>, b: boolean, c: boolean) => {
    if (b) counts.baseline++;
    if (c) counts.candidate++;
    if (!b && c) counts.gained++;
    if (b && !c) counts.lost++;
  };
  let completed = 0;
  let completedDiffering = 0;
  let baselineFailed = 0;
  const matched = { both: 0, candidateOnly: 0, aaOnly: 0, neither: 0 };
  const costSums = newCostSums();
  let baselineSum = 0;
  let candidateSum = 0;
  const baselineLatency: number[] = [];
  const candidateLatency: number[] = [];
  for (const pair of pairs) {
    const failed = pair.baselineError || pair.candidateError;
    const category = pair.candidateError
      ? "candidate_error"
      : pair.candidateRefusal !== pair.baselineRefusal
        ? "refusal_flip"
        : pair.baselineError
          ? "outcome_mismatch"
          : pair.differs
            ? "args_drift"
            : pair.textDiffers
              ? "text_only"
              : "identical";
    categories[category]++;
    const paths =
      category === "candidate_error"
        ? ["/error"]
        : category === "refusal_flip"
          ? ["/refusal"]
          : category === "outcome_mismatch"
            ? ["/error"]
            : category === "args_drift"
              ? ["/steps/lookup/arguments/query"]
              : category === "text_only"
                ? ["/output"]
                : [];
    const key = `${category}\t${paths.join("\n")}`;
    const pathset = pathsets.get(key) ?? { category, paths, count: 0 };
    pathset.count++;
    pathsets.set(key, pathset);
    count(refusal, pair.baselineRefusal, pair.candidateRefusal);
    count(errors, pair.baselineError, pair.candidateError);
    count(toolsOk, pair.baselineToolsOk, pair.candidateToolsOk);
    if (pair.baselineError) baselineFailed++;
    // What the store's `differs` means: a raw drift category on a completed pair.
    const differs = category === "args_drift" || category === "refusal_flip";
    if (!failed) {
      completed++;
      if (differs) completedDiffering++;
      if (pair.aa?.completed) {
        if (differs && pair.aa.differs) matched.both++;
        else if (differs) matched.candidateOnly++;
        else if (pair.aa.differs) matched.aaOnly++;
        else matched.neither++;
      }
      addCostPair(costSums, pair.baselineCost, pair.candidateCost);
      baselineSum += pair.baselineCost;
      candidateSum += pair.candidateCost;
      baselineLatency.push(pair.baselineLatency);
      candidateLatency.push(pair.candidateLatency);
    }
  }
  const quantiles = (values: number[]) => {
    const sorted = Float64Array.from(values).sort();
    return LATENCY_LEVELS.map(
      (level) => sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))] ?? 0,
    );
  };
  return {
    dimension,
    segment,
    pairs: pairs.length,
    categories,
    pathsets: [...pathsets].map(([key, pathset]) => ({ key, ...pathset })),
    refusal,
    errors,
    toolsOk,
    toolCalls: {
      baseline: { calls: 0, invalid: 0, failed: 0 },
      candidate: { calls: 0, invalid: 0, failed: 0 },
    },
    tokens: { baselineSum: 0, candidateSum: 0 },
    cost: {
      pricedPairs: pairs.length,
      baselineUnpriced: 0,
      candidateUnpriced: 0,
      pairs: costSums.n,
      baselineSum,
      candidateSum,
      ...costMoments(costSums),
    },
    baselineFailed,
    completed,
    completedDiffering,
    matched,
    latency: {
      levels: LATENCY_LEVELS,
      baseline: quantiles(baselineLatency),
      candidate: quantiles(candidateLatency),
    },
    scores: [scoreOf(pairs), judgeScoreOf(completedPairs(pairs))],
    tools: [escalationOf(pairs, completed)],
    sample: [],
    firstTs: null,
    lastTs: null,
  };
}

function completedPairs(pairs: readonly SimPair[]): SimPair[] {
  return pairs.filter((pair) => !pair.baselineError && !pair.candidateError);
}

function scoreOf(pairs: readonly SimPair[]): ScoreAggregate {
  const done = completedPairs(pairs);
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let gained = 0;
  let lost = 0;
  for (const pair of done) {
    const x = pair.baselineSuccess ? 1 : 0;
    const y = pair.candidateSuccess ? 1 : 0;
    sumX += x;
    sumY += y;
    sumXY += x * y;
    if (x === 0 && y === 1) gained++;
    if (x === 1 && y === 0) lost++;
  }
  const counts = { pass: 0, fail: 0, na: 0 };
  return {
    name: "task_success",
    source: "record",
    both: done.length,
    baselineOnly: 0,
    candidateOnly: 0,
    nonBinary: 0,
    gained,
    lost,
    moments: { n: done.length, sumX, sumY, sumXX: sumX, sumYY: sumY, sumXY },
    baselineCounts: counts,
    candidateCounts: counts,
  };
}

function escalationOf(pairs: readonly SimPair[], completed: number): ToolAggregate {
  let both = 0;
  let gained = 0;
  let lost = 0;
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  for (const pair of completedPairs(pairs)) {
    const x = pair.baselineEscalations;
    const y = pair.candidateEscalations;
    if (x > 0 && y > 0) both++;
    if (x === 0 && y > 0) gained++;
    if (x > 0 && y === 0) lost++;
    sumX += x;
    sumY += y;
    sumXY += x * y;
  }
  return {
    tool: "escalate_to_human",
    both,
    gained,
    lost,
    calls: { n: completed, sumX, sumY, sumXX: sumX, sumYY: sumY, sumXY },
    callsThird: { sumXXX: sumX, sumXXY: sumXY, sumXYY: sumXY, sumYYY: sumY },
    failedBaseline: 0,
    failedCandidate: 0,
  };
}

function aaSegment(pairs: readonly SimPair[]): AaSegment {
  let completed = 0;
  let differing = 0;
  for (const pair of pairs) {
    if (pair.aa === null || !pair.aa.completed || pair.baselineError) continue;
    completed++;
    if (pair.aa.differs) differing++;
  }
  return { completed, differing };
}

/** Report data for the pairs, overall and by tenant when the policy segments by it. */
export function reportDataOf(pairs: readonly SimPair[], byTenant: boolean): ReportData {
  const segments: SegmentAggregate[] = [aggregate(pairs, "", "all")];
  const aaSegments = new Map<string, AaSegment>([["=all", aaSegment(pairs)]]);
  if (byTenant) {
    for (const tenant of TENANTS) {
      const members = pairs.filter((pair) => pair.tenant === tenant);
      segments.push(aggregate(members, "tenant", tenant));
      aaSegments.set(`tenant=${tenant}`, aaSegment(members));
    }
  }
  const ref = { id: "sim", name: "sim", version: "1", model: "sim" };
  return {
    candidate: ref,
    baseline: ref,
    dimensions: byTenant ? ["tenant"] : [],
    sampleLimit: 0,
    segments,
    aaSegments,
    noise: { aaPairs: aaSegments.get("=all")?.completed ?? 0, noisePaths: [], paths: [] },
    examples: {},
    unpaired: { baseline: 0, candidate: 0 },
    manifests: { baseline: true, candidate: true },
  };
}

export interface Outcome {
  readonly verdict: Verdict;
  /** Guardrail checks that failed (name [segment]). */
  readonly failed: readonly string[];
  readonly passed: readonly string[];
}

export function judge(pairs: readonly SimPair[], policy: Policy, sequential: boolean): Outcome {
  const byTenant = (policy.segments ?? []).some((segment) => segment.by === "tenant");
  const report = buildDriftReport(reportDataOf(pairs, byTenant), { minPairs: policy.min_pairs_per_segment });
  const result = evaluate(report, policy, { sequential });
  const name = (g: GuardrailResult) => (g.segment ? `${checkName(g)} [${g.segment}]` : checkName(g));
  return {
    verdict: result.verdict,
    failed: result.guardrails.filter((g) => g.status === "fail").map(name),
    passed: result.guardrails.filter((g) => g.status === "pass").map(name),
  };
}

/** The fixture policy (fixtures/releases/gate.yaml), as loaded. */
export const FIXTURE_POLICY: Policy = {
  version: 1,
  min_pairs: 200,
  min_pairs_per_segment: 30,
  guardrails: {
    drift_rate: { max: 0.05 },
    tool_call_success_delta: { min: -0.02 },
    refusal_rate_delta: { max: 0.02 },
    error_rate: { max: 0.02 },
    cost_per_task_ratio: { max: 1.25 },
    p95_latency_ratio: { max: 1.3 },
  },
  segments: [{ by: "tenant", guardrails: { drift_rate: { max: 0.08 } } }],
};

export const OVERALL_POLICY: Policy = { ...FIXTURE_POLICY, segments: [] };

export interface Tally {
  promote: number;
  hold: number;
  fail: number;
  runs: number;
  /** Per check: how often it failed / passed. */
  checkFails: Map<string, number>;
  checkPasses: Map<string, number>;
}

export function newTally(): Tally {
  return { promote: 0, hold: 0, fail: 0, runs: 0, checkFails: new Map(), checkPasses: new Map() };
}

export function record(tally: Tally, outcome: Outcome): void {
  tally.runs++;
  tally[outcome.verdict]++;
  for (const name of outcome.failed) tally.checkFails.set(name, (tally.checkFails.get(name) ?? 0) + 1);
  for (const name of outcome.passed) tally.checkPasses.set(name, (tally.checkPasses.get(name) ?? 0) + 1);
}

/** Fixed n: `runs` independent captures of n pairs each. */
export function fixedRuns(scenario: Scenario, policy: Policy, n: number, runs: number, seed: number): Tally {
  const tally = newTally();
  for (let run = 0; run < runs; run++)
    record(tally, judge(generatePairs(scenario, n, seed + run * 7919), policy, false));
  return tally;
}

/**
 * Sequential: each stream is looked at `looks` times (every n/looks pairs), as a canary checked
 * every minute, and stops at its first fail or promote: a stream counts under the verdict it
 * stopped with (hold when it never decided).
 */
export function sequentialRuns(
  scenario: Scenario,
  policy: Policy,
  n: number,
  looks: number,
  runs: number,
  seed: number,
): Tally {
  const tally = newTally();
  for (let run = 0; run < runs; run++) {
    const stream = generatePairs(scenario, n, seed + run * 7919);
    let outcome: Outcome | undefined;
    const failedChecks = new Set<string>();
    const passedChecks = new Set<string>();
    for (let look = 1; look <= looks; look++) {
      const prefix = stream.slice(0, Math.round((look * n) / looks));
      if (prefix.length < policy.min_pairs) continue;
      outcome = judge(prefix, policy, true);
      for (const name of outcome.failed) failedChecks.add(name);
      for (const name of outcome.passed) passedChecks.add(name);
      // A canary stops at its first decision: fail, or promote.
      if (outcome.verdict !== "hold") break;
    }
    const final = outcome ?? { verdict: "hold" as const, failed: [], passed: [] };
    record(tally, { verdict: final.verdict, failed: [...failedChecks], passed: [...passedChecks] });
  }
  return tally;
}

/** Monte-Carlo standard error of a share. */
export function mcError(count: number, runs: number): number {
  const p = count / runs;
  return Math.sqrt(Math.max(p * (1 - p), 1 / runs) / runs);
}
