import { describe, expect, it } from "vitest";
import {
  bootstrapMeanInterval,
  bootstrapMedianInterval,
  mulberry32,
  ratioInterval,
} from "../../../src/stats/bootstrap.js";
import { mean, median } from "../../../src/stats/quantile.js";
import { expectClose, reference } from "./reference.js";

describe("mulberry32", () => {
  it("produces the reference stream for its seed", () => {
    const random = mulberry32(reference.mulberry32.seed);
    for (const expected of reference.mulberry32.first) expect(random()).toBe(expected);
  });
});

describe("percentile bootstrap", () => {
  const { values, seed, resamples, confidence } = reference.bootstrap;
  const options = { seed, resamples, confidence };

  it("equals an independent Python implementation of the same resampling (mean and median)", () => {
    const meanInterval = bootstrapMeanInterval(values, options);
    const medianInterval = bootstrapMedianInterval(values, options);
    for (const key of ["estimate", "low", "high"] as const) {
      expectClose(meanInterval?.[key] ?? Number.NaN, reference.bootstrap.mean[key], { relative: 1e-12 }, key);
      expectClose(
        medianInterval?.[key] ?? Number.NaN,
        reference.bootstrap.median[key],
        { relative: 1e-12 },
        key,
      );
    }
  });

  it("is reproducible for a seed and changes with the seed", () => {
    const first = bootstrapMeanInterval(values, { seed: 11 });
    expect(bootstrapMeanInterval(values, { seed: 11 })).toEqual(first);
    expect(bootstrapMeanInterval(values, { seed: 12 })?.low).not.toBe(first?.low);
  });

  it("brackets the sample mean and median", () => {
    const meanInterval = bootstrapMeanInterval(values, { seed: 3 });
    const medianInterval = bootstrapMedianInterval(values, { seed: 3 });
    expect(meanInterval?.estimate).toBe(mean(values));
    expect(meanInterval?.low).toBeLessThan(mean(values));
    expect(meanInterval?.high).toBeGreaterThan(mean(values));
    expect(medianInterval?.estimate).toBe(median(values));
    expect(medianInterval?.low).toBeLessThanOrEqual(median(values));
    expect(medianInterval?.high).toBeGreaterThanOrEqual(median(values));
  });

  it("agrees with mean ± 1.96·sd/√n for a large normal sample", () => {
    const sample = reference.normal_sample;
    const n = sample.length;
    const sampleMean = mean(sample);
    const sd = Math.sqrt(sample.reduce((sum, value) => sum + (value - sampleMean) ** 2, 0) / (n - 1));
    const halfWidth = (1.959964 * sd) / Math.sqrt(n);
    const interval = bootstrapMeanInterval(sample, { seed: 5 });
    // Monte Carlo error of 2000 resamples is a few percent of the width; 10% cannot flake.
    expect(Math.abs((interval?.low ?? Number.NaN) - (sampleMean - halfWidth))).toBeLessThan(0.1 * halfWidth);
    expect(Math.abs((interval?.high ?? Number.NaN) - (sampleMean + halfWidth))).toBeLessThan(0.1 * halfWidth);
    // The median of a normal sample has asymptotic standard error √(π/2) times that of the mean.
    const medianInterval = bootstrapMedianInterval(sample, { seed: 5 });
    const medianWidth = (medianInterval?.high ?? Number.NaN) - (medianInterval?.low ?? Number.NaN);
    expect(medianWidth / (2 * halfWidth)).toBeGreaterThan(Math.sqrt(Math.PI / 2) * 0.8);
    expect(medianWidth / (2 * halfWidth)).toBeLessThan(Math.sqrt(Math.PI / 2) * 1.2);
  });

  it("is undefined for an empty sample and rejects bad options", () => {
    expect(bootstrapMeanInterval([], { seed: 1 })).toBeUndefined();
    expect(() => bootstrapMeanInterval([1, 2], { seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => bootstrapMeanInterval([1, 2], { seed: 1, resamples: 0 })).toThrow(/at least one resample/);
    expect(() => bootstrapMeanInterval([1, Number.POSITIVE_INFINITY], { seed: 1 })).toThrow(/finite/);
  });
});

describe("ratioInterval", () => {
  it("exponentiates a log-ratio interval bound by bound", () => {
    const ratio = ratioInterval({ estimate: Math.log(1.25), low: Math.log(1.1), high: Math.log(1.4) });
    expectClose(ratio.estimate, 1.25, { relative: 1e-15 });
    expectClose(ratio.low, 1.1, { relative: 1e-15 });
    expectClose(ratio.high, 1.4, { relative: 1e-15 });
  });
});
