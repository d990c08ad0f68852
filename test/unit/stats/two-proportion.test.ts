import { describe, expect, it } from "vitest";
import { twoProportionExcessP } from "../../../src/stats/two-proportion.js";
import { expectClose, reference } from "./reference.js";

describe("two-proportion excess p-value = statsmodels proportions_ztest(alternative='larger')", () => {
  it("matches from p = 4e-72 to p = 0.96, for n from 1 to 1e6", () => {
    for (const row of reference.two_proportion) {
      const label = `${row.count1}/${row.trials1} vs ${row.count2}/${row.trials2}`;
      // Measured ≤ 3e-14 (at p = 4e-72, where the tail's relative error grows with z²).
      expectClose(
        twoProportionExcessP(row.count1, row.trials1, row.count2, row.trials2),
        row.p,
        { relative: 1e-12 },
        label,
      );
    }
  });

  it("is one-sided: the two directions add up to 1", () => {
    const forward = twoProportionExcessP(30, 200, 20, 210);
    const backward = twoProportionExcessP(20, 210, 30, 200);
    expectClose(forward + backward, 1, { relative: 1e-15 });
    expect(forward).toBeLessThan(0.5);
  });

  it("is 1 when there is nothing to test", () => {
    expect(twoProportionExcessP(0, 100, 0, 80)).toBe(1);
    expect(twoProportionExcessP(100, 100, 80, 80)).toBe(1);
    expect(twoProportionExcessP(0, 0, 3, 10)).toBe(1);
    expect(twoProportionExcessP(3, 10, 0, 0)).toBe(1);
  });

  it("rejects impossible counts, naming the argument", () => {
    expect(() => twoProportionExcessP(11, 10, 1, 10)).toThrow(
      /count1 must be an integer in \[0, trials1 = 10\], got 11/,
    );
    expect(() => twoProportionExcessP(1, 10, 1, -10)).toThrow(
      /trials2 must be a non-negative integer count, got -10/,
    );
    expect(() => twoProportionExcessP(1, 10, 0.5, 10)).toThrow(/count2/);
  });
});
