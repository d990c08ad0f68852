import { describe, expect, it } from "vitest";
import { fiellerBounds } from "../../../src/stats/fieller.js";
import { normalMixtureHalfWidth } from "../../../src/stats/normal-mixture.js";
import type { PairedMoments } from "../../../src/stats/paired-moments.js";
import { ratioBoundsByRoot } from "../../../src/stats/ratio-by-root.js";
import { expectClose, reference } from "./reference.js";

const unboundedBelow = (value: number | null) => value ?? Number.NEGATIVE_INFINITY;
const unboundedAbove = (value: number | null) => value ?? Number.POSITIVE_INFINITY;

/** Bounds agree to `relative`, or are the same infinity. */
function expectSameBound(actual: number, expected: number, relative: number, label: string): void {
  if (Number.isFinite(expected)) expectClose(actual, expected, { relative }, label);
  else expect(actual, label).toBe(expected);
}

function momentsOf(x: readonly number[], y: readonly number[]): PairedMoments {
  let sumXX = 0;
  let sumYY = 0;
  let sumXY = 0;
  x.forEach((value, index) => {
    const other = y[index] as number;
    sumXX += value * value;
    sumYY += other * other;
    sumXY += value * other;
  });
  return {
    n: x.length,
    sumX: x.reduce((sum, value) => sum + value, 0),
    sumY: y.reduce((sum, value) => sum + value, 0),
    sumXX,
    sumYY,
    sumXY,
  };
}

describe("Fieller bounds = numpy's quadratic on the centred covariances", () => {
  it("matches on latency, token and small data sets, bounded and unbounded", () => {
    for (const row of reference.fieller) {
      const bounds = fiellerBounds(row.moments, row.zLow, row.zHigh);
      expect(bounds, row.name).toBeDefined();
      expect(bounds?.estimate, row.name).toBe(row.estimate);
      // Measured ≤ 3e-13 (on the token counts, where Σx² − (Σx)²/n from raw sums loses ~4 digits
      // against numpy's centred covariance); the two one-sided roots differ by 1e-3 or more.
      expectSameBound(bounds?.low ?? Number.NaN, unboundedBelow(row.low), 1e-9, `low: ${row.name}`);
      expectSameBound(bounds?.high ?? Number.NaN, unboundedAbove(row.high), 1e-9, `high: ${row.name}`);
    }
  });

  it("is undefined below two pairs or for a baseline mean <= 0", () => {
    expect(fiellerBounds(momentsOf([2], [3]), 1.96, 1.96)).toBeUndefined();
    expect(fiellerBounds(momentsOf([], []), 1.96, 1.96)).toBeUndefined();
    expect(fiellerBounds(momentsOf([0, 0, 0], [1, 2, 3]), 1.96, 1.96)).toBeUndefined();
  });

  it("rejects moments no data could give and critical values below 0", () => {
    const moments = momentsOf([1, 2, 3], [2, 2, 4]);
    expect(() => fiellerBounds(moments, -1, 1.96)).toThrow(/zLow must be a critical value >= 0.*got -1/);
    expect(() => fiellerBounds(moments, 1.96, Number.NaN)).toThrow(/zHigh must be a finite number, got NaN/);
    expect(() => fiellerBounds({ ...moments, n: 2.5 }, 1.96, 1.96)).toThrow(
      /n must be a non-negative integer/,
    );
    expect(() => fiellerBounds({ ...moments, sumXY: Number.POSITIVE_INFINITY }, 1.96, 1.96)).toThrow(
      /sumXY must be finite, got Infinity/,
    );
    expect(() => fiellerBounds({ ...moments, sumYY: -1 }, 1.96, 1.96)).toThrow(
      /sums of squares cannot be negative/,
    );
  });
});

describe("ratioBoundsByRoot", () => {
  it("with halfWidth = z·√(v/n) equals fiellerBounds on every reference data set", () => {
    for (const row of reference.fieller) {
      const { n } = row.moments;
      const byRoot = ratioBoundsByRoot(
        row.moments,
        (variance) => row.zLow * Math.sqrt(variance / n),
        (variance) => row.zHigh * Math.sqrt(variance / n),
      );
      const fieller = fiellerBounds(row.moments, row.zLow, row.zHigh);
      expect(byRoot?.estimate, row.name).toBe(fieller?.estimate);
      expectSameBound(byRoot?.low ?? Number.NaN, fieller?.low ?? Number.NaN, 1e-9, `low: ${row.name}`);
      expectSameBound(byRoot?.high ?? Number.NaN, fieller?.high ?? Number.NaN, 1e-9, `high: ${row.name}`);
    }
  });

  it("with a confidence-sequence half-width is Fieller at that sequence's critical value, and wider", () => {
    const row = reference.fieller[0];
    if (row === undefined) throw new Error("the reference has no Fieller data set");
    const { n } = row.moments;
    const alpha = 0.05;
    const sequence = (variance: number) => normalMixtureHalfWidth(n, variance, alpha);
    const byRoot = ratioBoundsByRoot(row.moments, sequence, sequence);
    // The sequence's half-width is √(v/n) times a critical value that depends on n only.
    const critical = normalMixtureHalfWidth(n, 1, alpha) * Math.sqrt(n);
    const fieller = fiellerBounds(row.moments, critical, critical);
    expectClose(byRoot?.low ?? Number.NaN, fieller?.low ?? Number.NaN, { relative: 1e-9 });
    expectClose(byRoot?.high ?? Number.NaN, fieller?.high ?? Number.NaN, { relative: 1e-9 });
    expect(byRoot?.low).toBeLessThan(row.low ?? Number.NaN);
    expect(byRoot?.high).toBeGreaterThan(row.high ?? Number.NaN);
  });

  it("is undefined where Fieller is, and rejects a half-width that is not a finite number >= 0", () => {
    expect(
      ratioBoundsByRoot(
        momentsOf([2], [3]),
        () => 0,
        () => 0,
      ),
    ).toBeUndefined();
    expect(
      ratioBoundsByRoot(
        momentsOf([0, 0], [1, 2]),
        () => 0,
        () => 0,
      ),
    ).toBeUndefined();
    const moments = momentsOf([1, 2, 3], [2, 2, 4]);
    expect(() =>
      ratioBoundsByRoot(
        moments,
        () => Number.NaN,
        () => 0,
      ),
    ).toThrow(/halfWidthLow must return a finite half-width >= 0, got NaN/);
    expect(() =>
      ratioBoundsByRoot(
        moments,
        () => 0,
        () => -1,
      ),
    ).toThrow(/halfWidthHigh must return/);
  });
});
