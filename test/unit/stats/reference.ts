import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { PairedMoments } from "../../../src/stats/paired-moments.js";

/**
 * Values computed independently by scipy, statsmodels, numpy and mpmath
 * (reference/make_reference.py; library versions are recorded under `versions`).
 */
export interface Reference {
  readonly versions: Readonly<Record<string, string>>;
  readonly normal: readonly { z: number; cdf: number; sf: number }[];
  readonly normal_ppf: readonly { p: number; z: number }[];
  readonly wilson: readonly { k: number; n: number; confidence: number; low: number; high: number }[];
  readonly log_gamma: readonly { x: number; value: number }[];
  readonly log_choose: readonly { n: number; k: number; value: number }[];
  readonly stirling_error: readonly { n: number; value: number }[];
  readonly binomial: readonly { k: number; n: number; p: number; pmf: number; cdf: number; sf: number }[];
  readonly mcnemar: readonly { b: number; c: number; p: number }[];
  readonly paired_difference: readonly {
    both: number;
    baselineOnly: number;
    candidateOnly: number;
    neither: number;
    confidence: number;
    estimate: number;
    low: number;
    high: number;
  }[];
  readonly wilcoxon: readonly {
    name: string;
    x: number[];
    options: { method: "auto" | "exact" | "normal"; continuityCorrection: boolean };
    method: "exact" | "normal";
    statistic: number;
    p: number;
    z?: number;
  }[];
  readonly holm: readonly { p: number[]; adjusted: number[] }[];
  readonly quantile: readonly { x: number[]; q: number[]; values: number[]; median: number; mean: number }[];
  readonly mulberry32: { seed: number; first: number[] };
  readonly bootstrap: {
    values: number[];
    seed: number;
    resamples: number;
    confidence: number;
    mean: { estimate: number; low: number; high: number };
    median: { estimate: number; low: number; high: number };
  };
  readonly normal_sample: number[];
  readonly clopper_pearson: readonly {
    k: number;
    n: number;
    alphaLow: number;
    alphaHigh: number;
    low: number;
    high: number;
    /** "mpmath": 50-digit roots of the binomial tails; "scipy": beta quantiles (tails too long). */
    source: "mpmath" | "scipy";
  }[];
  readonly mixture_bounds: readonly { k: number; n: number; alpha: number; low: number; high: number }[];
  readonly mixture_count_range: readonly { n: number; p: number; alpha: number; low: number; high: number }[];
  readonly normal_mixture: readonly { n: number; variance: number; alpha: number; halfWidth: number }[];
  readonly fieller: readonly {
    name: string;
    moments: PairedMoments;
    zLow: number;
    zHigh: number;
    estimate: number;
    /** null: unbounded (JSON has no infinity). */
    low: number | null;
    high: number | null;
  }[];
  readonly order_statistic_ranks: readonly {
    n: number;
    p: number;
    alphaLow: number;
    alphaHigh: number;
    low: number | null;
    high: number | null;
  }[];
  readonly benjamini_hochberg: readonly { p: number[]; adjusted: number[] }[];
  readonly bca_same_stream: readonly {
    name: string;
    values: number[];
    seed: number;
    resamples: number;
    confidence: number;
    estimate: number;
    low: number;
    high: number;
    biasCorrection: number;
    acceleration: number;
  }[];
  /** scipy's BCa at `referenceResamples`, and the spread of each bound over runs at `resamples`. */
  readonly bca_scipy: {
    values: number[];
    confidence: number;
    resamples: number;
    referenceResamples: number;
    low: number;
    high: number;
    standardErrorLow: number;
    standardErrorHigh: number;
  };
}

export const reference = JSON.parse(
  readFileSync(new URL("reference/reference.json", import.meta.url), "utf8"),
) as Reference;

/**
 * |actual − expected| <= relative·|expected| + absolute. The absolute part is for expected values
 * at or near 0, where a relative tolerance means nothing.
 */
export function expectClose(
  actual: number,
  expected: number,
  tolerance: { relative: number; absolute?: number },
  label = "",
): void {
  const allowed = tolerance.relative * Math.abs(expected) + (tolerance.absolute ?? 0);
  expect(Math.abs(actual - expected), `${label} ${actual} vs expected ${expected}`).toBeLessThanOrEqual(
    allowed,
  );
}
