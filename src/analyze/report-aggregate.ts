import type { PairCategory } from "../contracts/categories.js";
import type { PairedMoments } from "../stats/paired-moments.js";
import type { ThirdMoments } from "../stats/ratio-skewness.js";
import type { SampledPairRow } from "./aggregate-queries.js";

/**
 * One segment's aggregates as the report reader decodes them from the store, by column name: the
 * pure report builder's input. Nothing here is a SQL shape; a simulation can build these from
 * generated pairs and go through the same builder and gate.
 */
export interface SegmentAggregate {
  /** "" for the overall segment. */
  readonly dimension: string;
  readonly segment: string;
  readonly pairs: number;
  readonly categories: Readonly<Record<PairCategory, number>>;
  /** Pairs per (raw category, exact set of differing paths). */
  readonly pathsets: readonly PathsetCount[];
  readonly refusal: BinaryCounts;
  readonly errors: BinaryCounts;
  readonly toolsOk: BinaryCounts;
  readonly toolCalls: {
    readonly baseline: CallCounts;
    readonly candidate: CallCounts;
  };
  readonly tokens: {
    readonly baselineSum: number;
    readonly candidateSum: number;
  };
  readonly cost: CostAggregate;
  /** Pairs whose baseline failed: reported apart, never as drift. */
  readonly baselineFailed: number;
  /** Pairs where neither side failed, and those whose behaviour differs (raw). */
  readonly completed: number;
  readonly completedDiffering: number;
  /** Completed pairs whose request's first A/A replica also completed, by (candidate, A/A) difference. */
  readonly matched: MatchedTable;
  /** Exact latency quantiles of completed pairs at `levels` (LATENCY_LEVELS), both sides. */
  readonly latency: {
    readonly levels: readonly number[];
    readonly baseline: readonly number[];
    readonly candidate: readonly number[];
  };
  /** Scores and checks of the segment's completed pairs, by name (empty when none is recorded). */
  readonly scores: readonly ScoreAggregate[];
  /** Per-tool counts of the segment's completed pairs, by tool name. */
  readonly tools: readonly ToolAggregate[];
  /** A uniform hash sample of the segment's pairs, in hash order. */
  readonly sample: readonly SampledPairRow[];
  readonly firstTs: string | null;
  readonly lastTs: string | null;
}

export interface PathsetCount {
  readonly key: string;
  readonly category: PairCategory;
  readonly paths: readonly string[];
  readonly count: number;
}

/** A paired 0/1 quantity: how many pairs had it on each side, and the flips each way. */
export interface BinaryCounts {
  readonly baseline: number;
  readonly candidate: number;
  /** 0 on the baseline, 1 on the candidate. */
  readonly gained: number;
  /** 1 on the baseline, 0 on the candidate. */
  readonly lost: number;
}

export interface CallCounts {
  readonly calls: number;
  readonly invalid: number;
  readonly failed: number;
}

export interface CostAggregate {
  /** Pairs with both sides priced (completed or not). */
  readonly pricedPairs: number;
  readonly baselineUnpriced: number;
  readonly candidateUnpriced: number;
  /** Completed, priced pairs: what cost is compared on. */
  readonly pairs: number;
  readonly baselineSum: number;
  readonly candidateSum: number;
  /** Moments in dollars (exact integer sums of micro-dollars underneath). */
  readonly moments: PairedMoments;
  /** Third-order power sums in dollars³ (for the skewness correction of the ratio's bounds). */
  readonly third: ThirdMoments;
}

/** x = baseline, y = candidate (the stats' paired moments). */
export type { PairedMoments } from "../stats/paired-moments.js";

export interface MatchedTable {
  readonly both: number;
  readonly candidateOnly: number;
  readonly aaOnly: number;
  readonly neither: number;
}

/** The A/A pairs of one segment (by their own labels). */
export interface AaSegment {
  readonly completed: number;
  readonly differing: number;
}

/** One score or check over a segment's completed pairs (outcome-queries.ts's row, decoded). */
export interface ScoreAggregate {
  readonly name: string;
  readonly source: "record" | "check" | "judge";
  /** Pairs where both sides have it, and where one side only does. */
  readonly both: number;
  readonly baselineOnly: number;
  readonly candidateOnly: number;
  /** Of the pairs where both have it: values other than 0 and 1 (0 → a 0/1 score). */
  readonly nonBinary: number;
  /** 0 → 1 and 1 → 0 flips, for 0/1 scores. */
  readonly gained: number;
  readonly lost: number;
  /** x = baseline, y = candidate, over the pairs where both have it. */
  readonly moments: PairedMoments;
  /** Checks: pass / fail / not applicable counts of each side over all completed pairs. */
  readonly baselineCounts: { readonly pass: number; readonly fail: number; readonly na: number };
  readonly candidateCounts: { readonly pass: number; readonly fail: number; readonly na: number };
  /** The judge's counts, when this is the judge's preference (source `judge`). */
  readonly judge?: JudgeAggregate;
}

/** A judge release's verdicts on the segment's pairs, and the same judge's on the baseline's A/A pairs. */
export interface JudgeAggregate {
  readonly judge: { readonly id: string; readonly name: string; readonly version: string };
  readonly counts: JudgeCounts;
  /** Null when the judge has not judged the baseline's A/A pairs. */
  readonly aa: JudgeCounts | null;
  /** A few judged pairs per verdict with the judge's reason (the overall segment only). */
  readonly examples?: readonly JudgedExample[];
}

export interface JudgedExample {
  readonly request_id: string;
  readonly replica: number;
  readonly verdict: string;
  readonly inconsistent: boolean;
  readonly reason: string;
}

export interface JudgeCounts {
  readonly better: number;
  readonly same: number;
  readonly worse: number;
  /** Of `same`: the pairs where the two orders disagreed. */
  readonly inconsistent: number;
  readonly unparseable: number;
}

/** One tool over a segment's completed pairs. */
export interface ToolAggregate {
  readonly tool: string;
  /** Tasks calling it on both sides, on the candidate only, on the baseline only. */
  readonly both: number;
  readonly gained: number;
  readonly lost: number;
  /** Calls per task, x = baseline, y = candidate, over all the segment's completed pairs. */
  readonly calls: PairedMoments;
  readonly callsThird: ThirdMoments;
  readonly failedBaseline: number;
  readonly failedCandidate: number;
}
