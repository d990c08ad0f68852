import { describe, expect, it } from "vitest";
import { bcaBootstrapMeanInterval } from "../../../src/stats/bca-bootstrap.js";
import { bootstrapMeanInterval } from "../../../src/stats/bootstrap.js";
import { expectClose, reference } from "./reference.js";

describe("BCa bootstrap of the mean", () => {
  it("equals a Python BCa on the same mulberry32 resamples: bounds, z0 and the exact jackknife acceleration", () => {
    for (const row of reference.bca_same_stream) {
      const interval = bcaBootstrapMeanInterval(row.values, {
        seed: row.seed,
        resamples: row.resamples,
        confidence: row.confidence,
      });
      if (interval === undefined) throw new Error(`no interval for ${row.name}`);
      // Same resamples and the same definitions, so only rounding separates them (measured
      // ≤ 1e-15); the acceleration reference is computed in exact rational arithmetic.
      expectClose(interval.estimate, row.estimate, { relative: 1e-14 }, `estimate: ${row.name}`);
      expectClose(
        interval.biasCorrection,
        row.biasCorrection,
        { relative: 1e-12, absolute: 1e-15 },
        `z0: ${row.name}`,
      );
      expectClose(
        interval.acceleration,
        row.acceleration,
        { relative: 1e-12, absolute: 1e-15 },
        `a: ${row.name}`,
      );
      expectClose(interval.low, row.low, { relative: 1e-12, absolute: 1e-15 }, `low: ${row.name}`);
      expectClose(interval.high, row.high, { relative: 1e-12, absolute: 1e-15 }, `high: ${row.name}`);
    }
  });

  it("agrees with scipy.stats.bootstrap(method='BCa') within Monte Carlo error, where the percentile interval does not", () => {
    const { values, confidence, resamples, low, high, standardErrorLow, standardErrorHigh } =
      reference.bca_scipy;
    const interval = bcaBootstrapMeanInterval(values, { seed: 1, resamples, confidence });
    const percentile = bootstrapMeanInterval(values, { seed: 1, resamples, confidence });
    // scipy's value comes from 20× as many resamples, so its own error adds 1/20 of the variance.
    const spread = (standardError: number) =>
      standardError * Math.sqrt(1 + resamples / reference.bca_scipy.referenceResamples);
    const toleranceLow = 4 * spread(standardErrorLow);
    const toleranceHigh = 4 * spread(standardErrorHigh);
    expect(Math.abs((interval?.low ?? Number.NaN) - low)).toBeLessThanOrEqual(toleranceLow);
    expect(Math.abs((interval?.high ?? Number.NaN) - high)).toBeLessThanOrEqual(toleranceHigh);
    // The same comparison would catch a plain percentile interval: it is 20 standard errors off.
    expect(Math.abs((percentile?.low ?? Number.NaN) - low)).toBeGreaterThan(toleranceLow);
    expect(Math.abs((percentile?.high ?? Number.NaN) - high)).toBeGreaterThan(toleranceHigh);
  });

  it("shifts a right-skewed sample's interval to the right of the percentile interval", () => {
    const { values } = reference.bca_scipy;
    const interval = bcaBootstrapMeanInterval(values, { seed: 4 });
    const percentile = bootstrapMeanInterval(values, { seed: 4 });
    expect(interval?.acceleration).toBeGreaterThan(0);
    expect(interval?.low).toBeGreaterThan(percentile?.low ?? Number.NaN);
    expect(interval?.high).toBeGreaterThan(percentile?.high ?? Number.NaN);
    expect(bcaBootstrapMeanInterval(values, { seed: 4 })).toEqual(interval);
  });

  it("answers degenerate samples: a constant sample is a point, one resample still gives finite bounds", () => {
    expect(bcaBootstrapMeanInterval([0.1, 0.1, 0.1], { seed: 1 })).toEqual({
      estimate: 0.1,
      low: 0.1,
      high: 0.1,
      biasCorrection: 0,
      acceleration: 0,
    });
    expect(bcaBootstrapMeanInterval([7], { seed: 1 })?.low).toBe(7);
    const single = bcaBootstrapMeanInterval([1, 2, 3, 10], { seed: 2, resamples: 1 });
    expect(Number.isFinite(single?.low) && Number.isFinite(single?.high)).toBe(true);
    expect(Number.isFinite(single?.biasCorrection)).toBe(true);
  });

  it("is undefined for an empty sample and rejects bad options and values", () => {
    expect(bcaBootstrapMeanInterval([], { seed: 1 })).toBeUndefined();
    expect(() => bcaBootstrapMeanInterval([1, 2], { seed: 1.5 })).toThrow(/seed must be an integer, got 1.5/);
    expect(() => bcaBootstrapMeanInterval([1, 2], { seed: 1, resamples: 0 })).toThrow(
      /at least one resample/,
    );
    expect(() => bcaBootstrapMeanInterval([1, 2], { seed: 1, confidence: 95 })).toThrow(
      /confidence must be strictly/,
    );
    expect(() => bcaBootstrapMeanInterval([1, Number.NaN], { seed: 1 })).toThrow(
      /values\[1\] must be finite, got NaN/,
    );
  });
});
