import type { PairCategory } from "../contracts/categories.js";

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
}

export interface ExampleStep {
  readonly name: string;
  readonly turn: number;
  readonly args: unknown;
}

/** A rate with its Wilson interval. */
export interface Rate {
  readonly count: number;
  readonly total: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

/** A paired binary comparison: both rates, the flips each way, and the exact McNemar p. */
export interface PairedBinary {
  readonly baseline: Rate;
  readonly candidate: Rate;
  /** Pairs that became 1 on the candidate (a new refusal, a new error, newly broken tools). */
  readonly gained: number;
  /** Pairs that became 0 on the candidate. */
  readonly lost: number;
  readonly p_value: number;
  /** Holm-adjusted across the segments of one dimension (equal to p_value for overall). */
  readonly p_adjusted: number;
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
  readonly baseline: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly candidate: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly p50_ratio: number | null;
  readonly p95_ratio: number | null;
  readonly p99_ratio: number | null;
  readonly paired: PairedRatio;
}

export type CostComparison =
  | ({ readonly priced: true; readonly unpriced_pairs: number } & PairedRatio)
  | {
      readonly priced: false;
      /** Which side's model has no price: "unpriced", never a zero. */
      readonly unpriced_models: readonly string[];
      readonly unpriced_pairs: number;
    };

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
  readonly categories: Readonly<Record<PairCategory, number>>;
  /** Drift pairs net of the noise floor, over all pairs. */
  readonly drift: Rate & { readonly noise_only: number; readonly net_of_noise: boolean };
  readonly refusal: PairedBinary;
  readonly errors: PairedBinary;
  readonly tool_calls: {
    readonly baseline: { readonly calls: number; readonly validity: Rate; readonly success: Rate };
    readonly candidate: { readonly calls: number; readonly validity: Rate; readonly success: Rate };
    /** Pairs whose every tool call was valid and succeeded, compared pair by pair. */
    readonly all_ok: PairedBinary;
  };
  readonly tokens: PairedRatio;
  readonly cost: CostComparison;
  readonly latency: LatencyComparison;
}
