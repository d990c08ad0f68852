import { mcnemarExact, normalSurvival, type ThirdMoments } from "../stats/index.js";
import {
  type Bounds,
  REPORT_SIDES,
  rateBounds,
  ratioOfMeansBounds,
  scoreDeltaBounds,
  toolShareBounds,
} from "./bounds.js";
import type { JudgeReport } from "./outcome-types.js";
import type {
  JudgeAggregate,
  JudgeCounts,
  PairedMoments,
  ScoreAggregate,
  ToolAggregate,
} from "./report-aggregate.js";
import type { Moments, Rate, ScoreReport, ThirdPowerSums, ToolReport } from "./report-types.js";

/** Scores and checks of one segment (pure): what `overall.scores.<name>` holds. */
export function scoresReport(scores: readonly ScoreAggregate[]): Record<string, ScoreReport> {
  return Object.fromEntries(scores.map((score) => [score.name, scoreReport(score)]));
}

function scoreReport(score: ScoreAggregate): ScoreReport {
  const m = score.moments;
  const binary = score.nonBinary === 0;
  const bounds = scoreDeltaBounds(
    m,
    binary ? { gained: score.gained, lost: score.lost } : null,
    REPORT_SIDES,
  );
  return {
    source: score.source,
    binary,
    pairs: m.n,
    one_sided: { baseline: score.baselineOnly, candidate: score.candidateOnly },
    baseline: { mean: m.n === 0 ? null : m.sumX / m.n },
    candidate: { mean: m.n === 0 ? null : m.sumY / m.n },
    delta: {
      value: bounds?.estimate ?? null,
      low: bounds === undefined ? null : bounds.low,
      high: bounds === undefined ? null : bounds.high,
    },
    p_value: m.n === 0 ? null : binary ? mcnemarExact(score.lost, score.gained) : pairedZ(m),
    gained: binary ? score.gained : null,
    lost: binary ? score.lost : null,
    ...(score.source === "check"
      ? { baseline_counts: score.baselineCounts, candidate_counts: score.candidateCounts }
      : {}),
    moments: momentsOf(m),
    ...(score.judge === undefined ? {} : { judge: judgeReport(score.judge, bounds) }),
  };
}

/** The judge's counts beside its preference as a score, and its A/A preference with its interval. */
function judgeReport(judge: JudgeAggregate, bounds: Bounds | undefined): JudgeReport {
  const judged = (counts: JudgeCounts) => counts.better + counts.same + counts.worse;
  const interval = (value: Bounds | undefined) => ({
    value: value?.estimate ?? null,
    low: value?.low ?? null,
    high: value?.high ?? null,
  });
  const aa = judge.aa;
  return {
    judge: judge.judge,
    judged: judged(judge.counts),
    ...judge.counts,
    net_preference: interval(bounds),
    ...(judge.examples === undefined ? {} : { examples: judge.examples }),
    aa:
      aa === null
        ? null
        : {
            judged: judged(aa),
            ...aa,
            net_preference: interval(
              scoreDeltaBounds(preferenceMoments(aa), { gained: aa.better, lost: aa.worse }, REPORT_SIDES),
            ),
          },
  };
}

/**
 * A judge's verdicts as a paired 0/1 score (pure): baseline 1 where it was preferred (worse),
 * candidate 1 where the candidate was (better), both 0 where neither; unparseable pairs left out.
 */
export function judgeScoreAggregate(judge: JudgeAggregate): ScoreAggregate {
  const { better, worse } = judge.counts;
  const none = { pass: 0, fail: 0, na: 0 };
  return {
    name: "judge",
    source: "judge",
    both: better + judge.counts.same + worse,
    baselineOnly: 0,
    candidateOnly: 0,
    nonBinary: 0,
    gained: better,
    lost: worse,
    moments: preferenceMoments(judge.counts),
    baselineCounts: none,
    candidateCounts: none,
    judge,
  };
}

function preferenceMoments(counts: JudgeCounts): PairedMoments {
  const n = counts.better + counts.same + counts.worse;
  return { n, sumX: counts.worse, sumY: counts.better, sumXX: counts.worse, sumYY: counts.better, sumXY: 0 };
}

/** Two-sided p of the paired z test on the mean difference (the CLT; n is in the hundreds or more). */
function pairedZ(m: PairedMoments): number | null {
  if (m.n < 2) return null;
  const mean = (m.sumY - m.sumX) / m.n;
  const variance = (m.sumYY - 2 * m.sumXY + m.sumXX - m.n * mean * mean) / (m.n - 1);
  if (!(variance > 0)) return mean === 0 ? 1 : 0;
  return Math.min(1, 2 * normalSurvival(Math.abs(mean) / Math.sqrt(variance / m.n)));
}

/** Per-tool rates of one segment over its `tasks` completed pairs (pure): `overall.tools.<name>`. */
export function toolsReport(tools: readonly ToolAggregate[], tasks: number): Record<string, ToolReport> {
  return Object.fromEntries(tools.map((tool) => [tool.tool, toolReport(tool, tasks)]));
}

function toolReport(tool: ToolAggregate, tasks: number): ToolReport {
  const share = toolShareBounds(tool, tasks, REPORT_SIDES);
  const baselineTasks = tool.both + tool.lost;
  const candidateTasks = tool.both + tool.gained;
  const p = mcnemarExact(tool.lost, tool.gained);
  const calls = ratioOfMeansBounds(tool.calls, REPORT_SIDES, tool.callsThird);
  const finite = (value: number | undefined) =>
    value === undefined || !Number.isFinite(value) ? null : value;
  return {
    share: {
      baseline: rate(baselineTasks, tasks),
      candidate: rate(candidateTasks, tasks),
      gained: tool.gained,
      lost: tool.lost,
      p_value: p,
      p_adjusted: p,
      delta: share?.estimate ?? 0,
      low: share?.low ?? -1,
      high: share?.high ?? 1,
    },
    calls: {
      baseline_mean: tasks === 0 ? 0 : tool.calls.sumX / tasks,
      candidate_mean: tasks === 0 ? 0 : tool.calls.sumY / tasks,
      ratio: tool.calls.sumX > 0 ? tool.calls.sumY / tool.calls.sumX : null,
      low: finite(calls?.low),
      high: finite(calls?.high),
      moments: momentsOf(tool.calls),
      third_moments: thirdOf(tool.callsThird),
    },
    failures: {
      baseline: rate(tool.failedBaseline, tool.calls.sumX),
      candidate: rate(tool.failedCandidate, tool.calls.sumY),
    },
  };
}

function rate(count: number, total: number): Rate {
  const bounds = rateBounds(count, total, REPORT_SIDES);
  return { count, total, rate: bounds.estimate, low: bounds.low, high: bounds.high };
}

export function momentsOf(m: PairedMoments): Moments {
  return {
    n: m.n,
    sum_baseline: m.sumX,
    sum_candidate: m.sumY,
    sum_baseline_squares: m.sumXX,
    sum_candidate_squares: m.sumYY,
    sum_products: m.sumXY,
  };
}

export function thirdOf(third: ThirdMoments): ThirdPowerSums {
  return {
    sum_baseline_cubes: third.sumXXX,
    sum_baseline_squares_times_candidate: third.sumXXY,
    sum_baseline_times_candidate_squares: third.sumXYY,
    sum_candidate_cubes: third.sumYYY,
  };
}

export function thirdMomentsOf(third: ThirdPowerSums): ThirdMoments {
  return {
    sumXXX: third.sum_baseline_cubes,
    sumXXY: third.sum_baseline_squares_times_candidate,
    sumXYY: third.sum_baseline_times_candidate_squares,
    sumYYY: third.sum_candidate_cubes,
  };
}

/** The moments back in the bounds' shape. */
export function pairedMomentsOf(m: Moments): PairedMoments {
  return {
    n: m.n,
    sumX: m.sum_baseline,
    sumY: m.sum_candidate,
    sumXX: m.sum_baseline_squares,
    sumYY: m.sum_candidate_squares,
    sumXY: m.sum_products,
  };
}
