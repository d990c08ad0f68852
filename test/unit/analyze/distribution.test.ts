import { describe, expect, it } from "vitest";
import type { PairedSample } from "../../../src/analyze/distribution.js";
import { DISTRIBUTION_LEVELS, distributionOf } from "../../../src/analyze/distribution.js";
import { dkwHalfWidth, inverseEcdf } from "../../../src/stats/index.js";

describe("inverseEcdf", () => {
  it("returns observed order statistics: rank ⌈p·n⌉, the minimum at 0", () => {
    const values = [5, 1, 4, 2, 3];
    expect(inverseEcdf(values, [0, 0.2, 0.21, 0.5, 0.8, 1])).toEqual([1, 1, 2, 3, 4, 5]);
  });

  it("refuses an empty sample and levels outside [0, 1]", () => {
    expect(() => inverseEcdf([], [0.5])).toThrow("empty sample");
    expect(() => inverseEcdf([1], [1.5])).toThrow("[0, 1]");
  });
});

describe("dkwHalfWidth", () => {
  it("is sqrt(ln(2/α) / 2n)", () => {
    // n = 1000 at 95%: sqrt(ln(40) / 2000) = 0.0429469… (Python math)
    expect(dkwHalfWidth(1000, 0.95)).toBeCloseTo(0.0429469408, 9);
    expect(dkwHalfWidth(100, 0.99)).toBeCloseTo(Math.sqrt(Math.log(200) / 200), 12);
  });

  it("narrows as the sample grows, by the square root", () => {
    expect(dkwHalfWidth(400, 0.95) / dkwHalfWidth(1600, 0.95)).toBeCloseTo(2, 12);
  });
});

describe("distributionOf", () => {
  const pair = (latency: number, cost: number, priced: boolean): PairedSample => ({
    baselineLatency: latency,
    candidateLatency: latency * 2,
    baselineCost: cost,
    candidateCost: cost * 3,
    priced,
  });

  it("draws both sides at every level, cost from priced pairs only", () => {
    const sample = Array.from({ length: 200 }, (_, index) =>
      pair(index + 1, (index + 1) / 1000, index < 100),
    );
    const distribution = distributionOf(sample, 0.95);
    expect(distribution?.sample).toBe(200);
    expect(distribution?.levels).toEqual(DISTRIBUTION_LEVELS);
    expect(distribution?.levels).toHaveLength(42);
    expect(distribution?.latency.baseline.at(-1)).toBe(200);
    expect(distribution?.latency.candidate.at(-1)).toBe(400);
    expect(distribution?.latency.baseline[DISTRIBUTION_LEVELS.indexOf(0.5)]).toBe(100);
    expect(distribution?.cost?.sample).toBe(100);
    expect(distribution?.cost?.baseline.at(-1)).toBeCloseTo(0.1, 12);
    expect(distribution?.cost?.candidate.at(-1)).toBeCloseTo(0.3, 12);
    expect(distribution?.cost?.band).toBeCloseTo(dkwHalfWidth(100, 0.95), 12);
  });

  it("has no cost curve without priced pairs, and nothing without pairs", () => {
    expect(distributionOf([pair(1, 0, false)], 0.95)?.cost).toBeNull();
    expect(distributionOf([], 0.95)).toBeNull();
  });
});
