import { describe, expect, it } from "vitest";
import {
  betaBinomialMixtureBounds,
  betaBinomialMixtureCountRange,
  MIXING_PRIOR,
} from "../../../src/stats/beta-binomial-mixture.js";
import { clopperPearsonBounds } from "../../../src/stats/clopper-pearson.js";
import { stirlingError } from "../../../src/stats/log-gamma.js";
import { stirlingRemainder } from "../../../src/stats/mixture-likelihood.js";
import { expectClose, reference } from "./reference.js";

const UNIFORM = { a: 1, b: 1 };

describe("beta-binomial mixture confidence sequence = the same formula at 50 digits (mpmath)", () => {
  it("uses the Jeffreys prior Beta(½, ½)", () => {
    expect(MIXING_PRIOR).toEqual({ a: 0.5, b: 0.5 });
  });

  it("matches the interval for n from 1 to 1e7, k = 0 to n, alpha down to 1e-6", () => {
    for (const row of reference.mixture_bounds) {
      const bounds = betaBinomialMixtureBounds(row.k, row.n, row.alpha);
      const label = `${row.k}/${row.n} at ${row.alpha}`;
      // Measured ≤ 3e-15. Taking ln B as a plain difference of ln Γ values instead is off by up
      // to 9e-10 at n = 1e7 (measured), which 1e-12 catches.
      expectClose(bounds.low, row.low, { relative: 1e-12 }, `low ${label}`);
      expectClose(bounds.high, row.high, { relative: 1e-12 }, `high ${label}`);
    }
  });

  it("gives the closed form 1 − (51·20)^(−1/50) at k = 0, n = 50, alpha = 0.05 under the uniform prior", () => {
    // m(0) = B(1, 51)/B(1, 1) = 1/51, so the set is (1/51) / (1 − p)^50 < 20.
    const bounds = betaBinomialMixtureBounds(0, 50, 0.05, UNIFORM);
    expect(bounds.low).toBe(0);
    expectClose(bounds.high, 1 - (51 * 20) ** (-1 / 50), { relative: 1e-14 });
  });

  it("is vacuous without trials, exactly 0 below 0/n and 1 above n/n, and symmetric", () => {
    expect(betaBinomialMixtureBounds(0, 0, 0.05)).toEqual({ low: 0, high: 1 });
    expect(betaBinomialMixtureBounds(0, 80, 0.05).low).toBe(0);
    expect(betaBinomialMixtureBounds(80, 80, 0.05).high).toBe(1);
    const successes = betaBinomialMixtureBounds(9, 70, 0.01);
    const failures = betaBinomialMixtureBounds(61, 70, 0.01);
    expectClose(successes.low, 1 - failures.high, { relative: 1e-13 });
    expectClose(successes.high, 1 - failures.low, { relative: 1e-13 });
  });

  it("is wider than the fixed-n exact interval at the same level: the price of looking at every n", () => {
    for (const [k, n] of [
      [50, 1000],
      [3, 10_000],
      [5_000, 10_000],
    ] as const) {
      const always = betaBinomialMixtureBounds(k, n, 0.05);
      const once = clopperPearsonBounds(k, n, 0.025, 0.025);
      expect(always.low, `${k}/${n}`).toBeLessThan(once.low);
      expect(always.high, `${k}/${n}`).toBeGreaterThan(once.high);
    }
  });

  it("rejects bad counts, levels and priors, naming the argument", () => {
    expect(() => betaBinomialMixtureBounds(4, 3, 0.05)).toThrow(
      /successes must be an integer in \[0, trials = 3\]/,
    );
    expect(() => betaBinomialMixtureBounds(1, 3, 1)).toThrow(/alpha must be strictly between 0 and 1.*got 1/);
    expect(() => betaBinomialMixtureBounds(1, 3, 0.05, { a: 0, b: 1 })).toThrow(/a > 0 and b > 0, got a = 0/);
  });
});

describe("beta-binomial mixture count range = mpmath", () => {
  it("matches the inclusive range of counts for n from 1 to 1e6", () => {
    for (const row of reference.mixture_count_range) {
      // Integers: the generator only keeps cases where no boundary count is within 1e-8 of the
      // threshold on the log scale, so an exact match is required.
      expect(betaBinomialMixtureCountRange(row.n, row.p, row.alpha), `n=${row.n} p=${row.p}`).toEqual({
        low: row.low,
        high: row.high,
      });
    }
  });

  it("is the set of counts whose interval covers p, one count in from each end", () => {
    const n = 400;
    const p = 0.3;
    const { low, high } = betaBinomialMixtureCountRange(n, p, 0.05);
    const covers = (k: number) => {
      const bounds = betaBinomialMixtureBounds(k, n, 0.05);
      return bounds.low < p && p < bounds.high;
    };
    expect(covers(low)).toBe(true);
    expect(covers(high)).toBe(true);
    expect(covers(low - 1)).toBe(false);
    expect(covers(high + 1)).toBe(false);
  });

  it("is a single count where p leaves no choice, and {0, 0} without trials", () => {
    expect(betaBinomialMixtureCountRange(50, 0, 0.05)).toEqual({ low: 0, high: 0 });
    expect(betaBinomialMixtureCountRange(50, 1, 0.05)).toEqual({ low: 50, high: 50 });
    expect(betaBinomialMixtureCountRange(0, 0.4, 0.05)).toEqual({ low: 0, high: 0 });
  });

  it("rejects a bad n or p", () => {
    expect(() => betaBinomialMixtureCountRange(-1, 0.5, 0.05)).toThrow(
      /trials must be a non-negative integer/,
    );
    expect(() => betaBinomialMixtureCountRange(10, 1.5, 0.05)).toThrow(/p must be in \[0, 1\], got 1.5/);
  });
});

describe("stirlingRemainder", () => {
  it("equals stirlingError at integers, on both sides of the series cut-off", () => {
    for (const n of [1, 2, 5, 9, 14, 15, 16, 30, 1000, 1e7]) {
      expectClose(stirlingRemainder(n), stirlingError(n), { relative: 1e-13, absolute: 2e-15 }, `n=${n}`);
    }
    // μ(½) = ln Γ(½) − ½·ln 2π − ½ = ln √π − ½·ln 2π + ½ = −½·ln 2 + ½.
    expectClose(stirlingRemainder(0.5), 0.5 - 0.5 * Math.LN2, { relative: 1e-14 });
  });
});
