import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  binomialCdf,
  bootstrapMeanInterval,
  holmAdjust,
  mcnemarExact,
  normalCdf,
  normalQuantile,
  normalSurvival,
  quantile,
  wilcoxonSignedRank,
  wilsonInterval,
} from "../../../../src/analyze/stats/index.js";

/**
 * Every routine against values computed independently by SciPy / statsmodels
 * (reference/make_reference.py; versions recorded in reference.json).
 */
const reference = JSON.parse(readFileSync(new URL("reference/reference.json", import.meta.url), "utf8")) as {
  normal: { z: number; cdf: number; sf: number }[];
  normal_ppf: { p: number; z: number }[];
  wilson: { k: number; n: number; confidence: number; low: number; high: number }[];
  binomial_cdf: { k: number; n: number; p: number; cdf: number }[];
  mcnemar: { b: number; c: number; p: number }[];
  wilcoxon: { name: string; x: number[]; statistic: number; p: number }[];
  holm: { p: number[]; adjusted: number[] };
  quantile: { x: number[]; q: number[]; values: number[] };
};

const closeRelative = (actual: number, expected: number, tolerance: number) => {
  const scale = Math.max(Math.abs(expected), 1e-300);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
};

describe("statistics against SciPy / statsmodels", () => {
  it("normal CDF and survival, including far tails", () => {
    for (const row of reference.normal) {
      closeRelative(normalCdf(row.z), row.cdf, 1e-12);
      closeRelative(normalSurvival(row.z), row.sf, 1e-12);
    }
  });

  it("normal quantile", () => {
    for (const row of reference.normal_ppf) closeRelative(normalQuantile(row.p), row.z, 1e-10);
  });

  it("Wilson interval = proportion_confint(method='wilson')", () => {
    for (const row of reference.wilson) {
      const interval = wilsonInterval(row.k, row.n, row.confidence);
      expect(interval.low).toBeCloseTo(row.low, 12);
      expect(interval.high).toBeCloseTo(row.high, 12);
    }
  });

  it("binomial CDF = scipy.stats.binom.cdf, up to n = 8400", () => {
    for (const row of reference.binomial_cdf) closeRelative(binomialCdf(row.k, row.n, row.p), row.cdf, 1e-9);
  });

  it("exact McNemar = statsmodels mcnemar(exact=True)", () => {
    for (const row of reference.mcnemar) closeRelative(mcnemarExact(row.b, row.c), row.p, 1e-9);
  });

  it("Wilcoxon signed-rank = scipy.stats.wilcoxon (exact and normal approximation)", () => {
    for (const row of reference.wilcoxon) {
      const result = wilcoxonSignedRank(row.x);
      expect(result.statistic, row.name).toBeCloseTo(row.statistic, 9);
      closeRelative(result.pValue, row.p, 1e-9);
    }
  });

  it("Holm = multipletests(method='holm')", () => {
    const adjusted = holmAdjust(reference.holm.p);
    reference.holm.adjusted.forEach((value, index) => {
      expect(adjusted[index]).toBeCloseTo(value, 14);
    });
  });

  it("quantile = numpy.quantile (linear)", () => {
    reference.quantile.q.forEach((q, index) => {
      expect(quantile(reference.quantile.x, q)).toBeCloseTo(reference.quantile.values[index] as number, 12);
    });
  });
});

describe("bootstrap interval", () => {
  const sample = Array.from({ length: 400 }, (_, index) => Math.sin(index * 12.9898) * 0.5 + 0.1);

  it("is reproducible for a seed and changes with the seed", () => {
    const first = bootstrapMeanInterval(sample, { seed: 7 });
    expect(bootstrapMeanInterval(sample, { seed: 7 })).toEqual(first);
    expect(bootstrapMeanInterval(sample, { seed: 8 }).low).not.toBe(first.low);
  });

  it("brackets the mean and is close to the normal-theory interval for a large sample", () => {
    const interval = bootstrapMeanInterval(sample, { seed: 3, resamples: 4000 });
    const mean = sample.reduce((sum, value) => sum + value, 0) / sample.length;
    const sd = Math.sqrt(sample.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (sample.length - 1));
    const halfWidth = (1.959964 * sd) / Math.sqrt(sample.length);
    expect(interval.estimate).toBeCloseTo(mean, 12);
    expect(interval.low).toBeLessThan(mean);
    expect(interval.high).toBeGreaterThan(mean);
    expect(Math.abs(interval.high - interval.low - 2 * halfWidth) / (2 * halfWidth)).toBeLessThan(0.1);
  });
});
