import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../src/stats/bootstrap.js";
import { normalMixtureHalfWidth } from "../../../src/stats/normal-mixture.js";
import { expectClose, reference } from "./reference.js";

describe("normal-mixture confidence sequence half-width = the same formula at 50 digits (mpmath)", () => {
  it("matches for n from 1 to 5e8, variances from 1e-12 to 4e6, alpha from 1e-6 to 0.2", () => {
    for (const row of reference.normal_mixture) {
      // Measured ≤ 2e-16: ln M is a sum of 24 well-scaled terms and s is bisected to the last bit.
      expectClose(
        normalMixtureHalfWidth(row.n, row.variance, row.alpha),
        row.halfWidth,
        { relative: 1e-13 },
        `n=${row.n} variance=${row.variance} alpha=${row.alpha}`,
      );
    }
  });

  it("scales with the standard deviation and is wider than one look's z-interval", () => {
    for (const n of [30, 1000, 1e6]) {
      const unit = normalMixtureHalfWidth(n, 1, 0.05);
      expectClose(normalMixtureHalfWidth(n, 9, 0.05), 3 * unit, { relative: 1e-14 });
      expect(unit).toBeGreaterThan(1.959963984540054 / Math.sqrt(n));
      expect(normalMixtureHalfWidth(n, 1, 0.01)).toBeGreaterThan(unit);
    }
  });

  it("is 0 for zero variance and rejects a negative one, a bad n or a bad alpha", () => {
    expect(normalMixtureHalfWidth(50, 0, 0.05)).toBe(0);
    expect(() => normalMixtureHalfWidth(50, -1e-12, 0.05)).toThrow(
      /variance must be a finite number >= 0, got -1e-12/,
    );
    expect(() => normalMixtureHalfWidth(50, Number.NaN, 0.05)).toThrow(/variance/);
    expect(() => normalMixtureHalfWidth(0, 1, 0.05)).toThrow(/n must be a positive integer, got 0/);
    expect(() => normalMixtureHalfWidth(50, 1, 0)).toThrow(/alpha must be strictly between 0 and 1/);
  });

  it("covers the mean at every n from 30 to 2000 at once, with the plug-in variance (seeded simulation)", () => {
    const streams = 2000;
    const length = 2000;
    const firstLook = 30;
    const alpha = 0.05;
    // The half-width is √variance times the unit-variance half-width (tested above), so the
    // boundary is computed once per n, not once per stream and n.
    const unitWidth = new Float64Array(length + 1);
    for (let n = firstLook; n <= length; n++) unitWidth[n] = normalMixtureHalfWidth(n, 1, alpha);
    const normal = boxMuller(mulberry32(20261126));
    let everExcluded = 0;
    let everExcludedByRepeatedZ = 0;
    for (let stream = 0; stream < streams; stream++) {
      // Welford's running mean and sum of squared deviations.
      let mean = 0;
      let squares = 0;
      let excluded = false;
      let excludedByZ = false;
      for (let n = 1; n <= length; n++) {
        const value = normal();
        const delta = value - mean;
        mean += delta / n;
        squares += delta * (value - mean);
        if (n < firstLook) continue;
        const standardDeviation = Math.sqrt(squares / (n - 1));
        if (Math.abs(mean) > standardDeviation * (unitWidth[n] as number)) excluded = true;
        if (Math.abs(mean) > (1.959963984540054 * standardDeviation) / Math.sqrt(n)) excludedByZ = true;
      }
      if (excluded) everExcluded++;
      if (excludedByZ) everExcludedByRepeatedZ++;
    }
    const monteCarloError = Math.sqrt((alpha * (1 - alpha)) / streams);
    expect(everExcluded / streams).toBeLessThanOrEqual(alpha + 3 * monteCarloError);
    // The check can fail: a 95% z-interval recomputed at every n excludes the mean in far more
    // than 5% of streams (the law of the iterated logarithm); a boundary that shrank like it would
    // be caught.
    expect(everExcludedByRepeatedZ / streams).toBeGreaterThan(0.25);
  });
});

/** Standard normal draws by the Box–Muller transform, both of each pair used. */
function boxMuller(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    // 1 − u is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
