import { describe, expect, it } from "vitest";
import { excessPValue, isNoise, judgePaths, newcombeDifferenceLow } from "../../../src/diff/noise-floor.js";
import { wilsonBoundsAt } from "../../../src/stats/wilson.js";

// The noise floor's Wilson bounds are the stats module's, at the z of 95%.
const wilsonBounds = (successes: number, trials: number) =>
  wilsonBoundsAt(successes, trials, 1.959963984540054);

import { normalQuantile } from "../../../src/stats/index.js";

describe("noise floor", () => {
  it("wilsonBounds matches the Wilson score interval (statsmodels proportion_confint method='wilson')", () => {
    // statsmodels 0.15.0: proportion_confint(12, 100, alpha=0.05, method="wilson")
    //   = (0.06999406437019488, 0.19812099426711421); (0, 600) = (0.0, 0.006361701013700713)
    const bounds = wilsonBounds(12, 100);
    expect(bounds.low).toBeCloseTo(0.06999406437019488, 9);
    expect(bounds.high).toBeCloseTo(0.19812099426711421, 9);
    expect(wilsonBounds(0, 600).high).toBeCloseTo(0.006361701013700713, 9);
    expect(wilsonBounds(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("newcombeDifferenceLow matches statsmodels confint_proportions_2indep(method='newcomb')", () => {
    // statsmodels 0.15.0: confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff")[0]
    const reference: [number, number, number, number, number][] = [
      [5, 600, 0, 600, 0.0003827346182110145],
      [60, 200, 55, 200, -0.06346000932432581],
      [1, 600, 0, 600, -0.004841383528030499],
      [20, 600, 0, 600, 0.020056750392782832],
      [298, 600, 251, 600, 0.02195881899940679],
      [43, 600, 37, 600, -0.01857956449021959],
      [4, 600, 0, 600, -0.0008861889274281156],
    ];
    for (const [c1, n1, c2, n2, low] of reference) {
      expect(newcombeDifferenceLow(c1, n1, c2, n2)).toBeCloseTo(low, 12);
    }
  });

  it("five refusal flips in 600 pairs are drift against an A/A run with none; four are not yet", () => {
    expect(isNoise("/refusal", 5, 600, 0, 600)).toBe(false);
    expect(isNoise("/refusal", 4, 600, 0, 600)).toBe(true);
  });

  it("a path at the A/A rate is noise; one clearly above it is not", () => {
    expect(isNoise("/steps/send_email/arguments/body", 60, 200, 55, 200)).toBe(true);
    expect(isNoise("/steps/refund_order/arguments/currency", 60, 200, 0, 200)).toBe(false);
  });

  it("a path the A/A run never shows is noise only while its candidate count is tiny", () => {
    expect(isNoise("/outcome/amount", 1, 600, 0, 600)).toBe(true);
    expect(isNoise("/outcome/amount", 20, 600, 0, 600)).toBe(false);
  });

  it("never treats errors as noise, and nothing is noise without an A/A run", () => {
    expect(isNoise("/error", 5, 100, 5, 100)).toBe(false);
    expect(isNoise("/output", 5, 100, 0, 0)).toBe(false);
  });

  it("judgePaths sorts by count and carries both rates; text is never judged", () => {
    const verdicts = judgePaths(
      {
        pairs: 100,
        counts: new Map([
          ["/output", 40],
          ["/steps/send_email/arguments/body", 30],
          ["/outcome/amount", 10],
        ]),
      },
      {
        pairs: 100,
        counts: new Map([
          ["/output", 40],
          ["/steps/send_email/arguments/body", 28],
        ]),
      },
    );
    expect(verdicts.map((verdict) => [verdict.path, verdict.judged, verdict.noise])).toEqual([
      ["/output", false, false],
      ["/steps/send_email/arguments/body", true, true],
      ["/outcome/amount", true, false],
    ]);
    expect(verdicts[1]?.aaRate).toBeCloseTo(0.28, 10);
    expect(verdicts[0]?.pAdjusted).toBeNull();
  });

  it("adjusts across paths (Benjamini-Hochberg): a path that is real alone can be noise among many", () => {
    // 12 vs 4 in 600 is just past the single-path rule; among 20 paths at the A/A rate it is not.
    const alone = judgePaths(
      { pairs: 600, counts: new Map([["/outcome/amount", 12]]) },
      { pairs: 600, counts: new Map([["/outcome/amount", 2]]) },
    );
    expect(alone[0]?.noise).toBe(false);
    const many = new Map([["/outcome/amount", 12]]);
    const aaMany = new Map([["/outcome/amount", 2]]);
    for (let i = 0; i < 20; i++) {
      many.set(`/outcome/field_${i}`, 10);
      aaMany.set(`/outcome/field_${i}`, 10);
    }
    const among = judgePaths({ pairs: 600, counts: many }, { pairs: 600, counts: aaMany });
    expect(among.find((verdict) => verdict.path === "/outcome/amount")?.noise).toBe(true);
    expect(among.find((verdict) => verdict.path === "/outcome/amount")?.pAdjusted).toBeGreaterThan(0.025);
  });

  it("excessPValue is the level at which the Newcombe lower bound reaches zero", () => {
    const p = excessPValue(20, 600, 0, 600);
    const z = normalQuantile(1 - p);
    expect(newcombeDifferenceLow(20, 600, 0, 600, z)).toBeCloseTo(0, 9);
    expect(excessPValue(5, 600, 10, 600)).toBe(1);
  });
});
