import type { PairCategory } from "../contracts/categories.js";
import type { Moments, ScoreReport, ThirdPowerSums, ToolReport } from "./outcome-types.js";
import type { PairedBinary, Rate } from "./rate-types.js";

export type { Moments, ScoreReport, ThirdPowerSums, ToolReport } from "./outcome-types.js";
export type { PairedBinary, Rate };

/** The drift report: the canonical JSON every renderer and the gate read. */
export interface DriftReport {
  readonly schema: "shadowdiff.report/v1";
  readonly candidate: ReleaseRef;
  readonly baseline: ReleaseRef;
  readonly window: { readonly first: string | null; readonly last: string | null };
  readonly settings: {
    readonly min_pairs: number;
    readonly confidence: number;
    readonly sample_limit: number;
    readonly segments: readonly string[];
  };
  readonly unpaired: { readonly baseline: number; readonly candidate: number };
  readonly noise: NoiseFloor | null;
  readonly overall: SegmentReport;
  readonly segments: Readonly<Record<string, readonly SegmentReport[]>>;
  readonly paths: readonly PathRow[];
  readonly examples: Readonly<Partial<Record<PairCategory, readonly ExampleRow[]>>>;
  /** Latency and cost distributions of both sides (overall), or null without pairs. */
  readonly distribution: Distribution | null;
}

/**
 * Inverse empirical CDFs at `levels`, from the overall segment's uniform hash sample of `sample`
 * pairs; with the report's confidence each true curve lies within ±`band` (DKW) of the one drawn.
 */
export interface Distribution {
  readonly sample: number;
  readonly band: number;
  readonly levels: readonly number[];
  readonly latency: SidesAt;
  /** Priced pairs only; null when none is. */
  readonly cost: (SidesAt & { readonly sample: number; readonly band: number }) | null;
}

export interface SidesAt {
  readonly baseline: readonly number[];
  readonly candidate: readonly number[];
}

export interface ReleaseRef {
  readonly id: string;
  readonly name: string | null;
  readonly version: string | null;
  readonly model: string | null;
}

export interface NoiseFloor {
  readonly aa_pairs: number;
  readonly noise_paths: readonly string[];
}

export interface PathRow {
  readonly path: string;
  readonly count: number;
  readonly rate: number;
  readonly aa_rate: number | null;
  /** rate − aa_rate, the path's excess over the A/A run. */
  readonly excess: number | null;
  /** Benjamini–Hochberg-adjusted one-sided p of that excess; null where the path is not judged (text, errors, no A/A). */
  readonly p_adjusted: number | null;
  readonly judged: boolean;
  readonly noise: boolean;
}

export interface ExampleRow {
  readonly request_id: string;
  readonly replica: number;
  readonly reason: string;
  /** Alignment ops (`=`, `~`, `-`, `+`) over both step lists, as the diff computed them. */
  readonly alignment: string;
  readonly baseline_steps: readonly ExampleStep[];
  readonly candidate_steps: readonly ExampleStep[];
  /** What each side answered: a failed or refusing pair has no steps to show, but has these. */
  readonly baseline_answer: ExampleAnswer;
  readonly candidate_answer: ExampleAnswer;
}

export interface ExampleAnswer {
  /** The final text, cut to EXAMPLE_OUTPUT_CHARS; null when the side gave none. */
  readonly output: string | null;
  readonly refusal: boolean;
  readonly error: { readonly type: string; readonly message: string } | null;
}

export interface ExampleStep {
  readonly name: string;
  readonly turn: number;
  readonly args: unknown;
}

/**
 * A paired binary comparison with the difference candidate − baseline and its 95% paired
 * (Newcombe) interval: what `refusal_rate_delta` and `tool_call_success_delta` are judged on.
 */
export interface PairedFlip extends PairedBinary {
  readonly difference: {
    readonly estimate: number;
    readonly low: number | null;
    readonly high: number | null;
  };
}

/** A paired positive quantity (cost, latency, tokens) compared through per-pair log ratios. */
export interface PairedRatio {
  readonly pairs: number;
  readonly baseline_mean: number;
  readonly candidate_mean: number;
  readonly baseline_median: number;
  readonly candidate_median: number;
  /** candidate mean / baseline mean. */
  readonly ratio_of_means: number;
  /** Geometric mean of the per-pair ratios, with its bootstrap interval. */
  readonly ratio: number | null;
  readonly ratio_low: number | null;
  readonly ratio_high: number | null;
  /** Wilcoxon signed-rank on the log ratios of the sample. */
  readonly p_value: number | null;
  readonly p_adjusted: number | null;
  readonly sample: number;
}

export interface LatencyComparison {
  /** Completed pairs (neither side failed): what the quantiles are over. */
  readonly pairs: number;
  readonly baseline: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly candidate: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly p50_ratio: number | null;
  readonly p95_ratio: number | null;
  readonly p99_ratio: number | null;
  /** 95% distribution-free interval of the p95 ratio (order statistics); null without latency. */
  readonly p95_ratio_low: number | null;
  readonly p95_ratio_high: number | null;
  /** Exact quantiles of both sides at `levels`: what the gate's p95 bounds are read from. */
  readonly quantiles: {
    readonly levels: readonly number[];
    readonly baseline: readonly number[];
    readonly candidate: readonly number[];
  };
  /** Per-pair latency ratios of the hash sample: a descriptive "typical request" figure. */
  readonly paired: PairedRatio;
}

/**
 * Cost per task: `ratio` = Σcost_C / Σcost_B over completed, priced pairs (what a bill shows),
 * with Fieller's interval from the paired moments; `typical` is the geometric mean of per-pair
 * ratios on the hash sample (descriptive: what a typical request does).
 */
export interface PricedCost {
  readonly priced: true;
  readonly unpriced_pairs: number;
  readonly pairs: number;
  readonly baseline_mean: number;
  readonly candidate_mean: number;
  readonly baseline_median: number;
  readonly candidate_median: number;
  readonly ratio: number | null;
  readonly ratio_low: number | null;
  readonly ratio_high: number | null;
  readonly moments: Moments;
  readonly third_moments: ThirdPowerSums;
  readonly typical: PairedRatio;
}

export type CostComparison =
  | PricedCost
  | {
      readonly priced: false;
      /** Which side's model has no price: "unpriced", never a zero. */
      readonly unpriced_models: readonly string[];
      readonly unpriced_pairs: number;
    };

/**
 * Net drift: mean(candidate differs) − mean(A/A differs) over requests where no side failed, with
 * a 95% interval (paired where the A/A covers the candidate's requests, independent otherwise).
 * Without an A/A run there is no estimate: drift cannot be told from noise.
 */
export interface NetDrift {
  readonly estimate: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly method: "paired" | "independent" | null;
  readonly candidate: Rate;
  readonly aa: Rate | null;
  readonly matched: {
    readonly both: number;
    readonly candidate_only: number;
    readonly aa_only: number;
    readonly neither: number;
  };
  /** Raw drift pairs whose every behavioural path is within the noise floor. */
  readonly noise_only: number;
  readonly net_of_noise: boolean;
  /**
   * The smallest net drift these sizes (candidate and A/A) reveal with 80% power at the report's
   * confidence: (z₀.₉₇₅ + z₀.₈) times the estimate's standard error, read off its interval.
   */
  readonly detectable: number | null;
  readonly note: string | null;
}

export type SegmentReport = SufficientSegment | InsufficientSegment;

export interface InsufficientSegment {
  readonly dimension: string | null;
  readonly value: string;
  readonly pairs: number;
  readonly sufficient: false;
  readonly note: string;
}

export interface SufficientSegment {
  readonly dimension: string | null;
  readonly value: string;
  readonly pairs: number;
  readonly sufficient: true;
  /** Net of the noise floor when there is an A/A run (see diff/net-category.ts); raw otherwise. */
  readonly categories: Readonly<Record<PairCategory, number>>;
  readonly categories_raw: Readonly<Record<PairCategory, number>>;
  /** Pairs whose baseline failed: reported apart, never counted as drift. */
  readonly baseline_failed: number;
  readonly drift: NetDrift;
  readonly refusal: PairedFlip;
  readonly errors: PairedFlip;
  readonly tool_calls: {
    readonly baseline: ToolCallSide;
    readonly candidate: ToolCallSide;
    /** Pairs whose every tool call was valid and succeeded, compared pair by pair. */
    readonly all_ok: PairedFlip;
    /**
     * `not checked (no manifest for release …)` when a side's calls were never checked against
     * tool schemas: its validity rate then counts nothing and says nothing. null when both were.
     */
    readonly validity_note: string | null;
  };
  readonly tokens: PairedRatio;
  readonly cost: CostComparison;
  readonly latency: LatencyComparison;
  /** Record scores and checks, by name (completed pairs where both sides have the score). */
  readonly scores: Readonly<Record<string, ScoreReport>>;
  /** Per-tool rates, by tool name (completed pairs). */
  readonly tools: Readonly<Record<string, ToolReport>>;
}

export interface ToolCallSide {
  readonly calls: number;
  /** Checked against the release's tool schemas (the store holds its manifest). */
  readonly checked: boolean;
  readonly validity: Rate;
  /** Calls that returned no error, per call. */
  readonly success: Rate;
}
