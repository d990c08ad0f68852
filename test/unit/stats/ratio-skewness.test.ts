import { describe, expect, it } from "vitest";
import { differenceSkewness, skewCorrectedCriticalValues } from "../../../src/stats/ratio-skewness.js";

describe("skewness of y − R·x from power sums", () => {
  it("equals the skewness computed from the pairs themselves", () => {
    const pairs: [number, number][] = [
      [1, 1.2],
      [2, 2.1],
      [1.5, 6],
      [0.5, 0.4],
      [3, 3.3],
      [2.2, 9],
    ];
    const r = 1.4;
    const d = pairs.map(([x, y]) => y - r * x);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const m2 = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
    const m3 = d.reduce((a, b) => a + (b - mean) ** 3, 0) / d.length;
    const sum = (f: (x: number, y: number) => number) => pairs.reduce((a, [x, y]) => a + f(x, y), 0);
    const skewness = differenceSkewness(
      {
        n: pairs.length,
        sumX: sum((x) => x),
        sumY: sum((_, y) => y),
        sumXX: sum((x) => x * x),
        sumYY: sum((_, y) => y * y),
        sumXY: sum((x, y) => x * y),
      },
      {
        sumXXX: sum((x) => x ** 3),
        sumXXY: sum((x, y) => x * x * y),
        sumXYY: sum((x, y) => x * y * y),
        sumYYY: sum((_, y) => y ** 3),
      },
      r,
    );
    expect(skewness).toBeCloseTo(m3 / m2 ** 1.5, 10);
  });

  it("only ever widens: right skew widens the upper bound, left skew the lower one", () => {
    expect(skewCorrectedCriticalValues(1.96, 1.96, 2, 400)).toEqual({
      zLow: 1.96,
      zHigh: 1.96 + (2 * (2 * 1.96 ** 2 + 1)) / (6 * 20),
    });
    const left = skewCorrectedCriticalValues(1.96, 1.96, -2, 400);
    expect(left.zHigh).toBe(1.96);
    expect(left.zLow).toBeGreaterThan(1.96);
  });
});
