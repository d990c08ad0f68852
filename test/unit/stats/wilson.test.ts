import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../../src/stats/wilson.js";
import { expectClose, reference } from "./reference.js";

describe("Wilson interval = statsmodels proportion_confint(method='wilson')", () => {
  it("matches for 16 (k, n) at 90%, 95% and 99%, including 0/n and n/n", () => {
    for (const row of reference.wilson) {
      const interval = wilsonInterval(row.k, row.n, row.confidence);
      const label = `${row.k}/${row.n} at ${row.confidence}`;
      expect(interval.rate, label).toBe(row.k / row.n);
      // statsmodels computes centre ± margin, which cancels near 0 and 1 (it leaves ±1e-17 there).
      expectClose(interval.low, row.low, { relative: 1e-9, absolute: 1e-15 }, label);
      expectClose(interval.high, row.high, { relative: 1e-9, absolute: 1e-15 }, label);
    }
  });

  it("is exactly 0 below 0/n and exactly 1 above n/n", () => {
    expect(wilsonInterval(0, 250).low).toBe(0);
    expect(wilsonInterval(250, 250).high).toBe(1);
  });

  it("is symmetric in successes and failures", () => {
    const successes = wilsonInterval(7, 40, 0.9);
    const failures = wilsonInterval(33, 40, 0.9);
    expectClose(successes.low, 1 - failures.high, { relative: 1e-14 });
    expectClose(successes.high, 1 - failures.low, { relative: 1e-14 });
  });

  it("says explicitly that zero trials have no rate", () => {
    expect(wilsonInterval(0, 0)).toEqual({ trials: 0, rate: null, low: 0, high: 1 });
  });

  it("rejects impossible counts and confidence levels", () => {
    expect(() => wilsonInterval(5, 3)).toThrow(/0 <= successes <= trials, got 5 of 3/);
    expect(() => wilsonInterval(-1, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 3, 95)).toThrow(/confidence must be strictly between 0 and 1/);
  });
});
