import { describe, expect, it } from "vitest";
import { binomialCdf, binomialSurvival } from "../../../src/stats/binomial.js";
import { clopperPearsonBounds } from "../../../src/stats/clopper-pearson.js";
import { expectClose, reference } from "./reference.js";

describe("Clopper–Pearson bounds = 50-digit roots of the binomial tails (scipy beta quantiles at n = 1e7)", () => {
  it("matches for n from 1 to 1e7 and one-sided levels down to 1e-6", () => {
    for (const row of reference.clopper_pearson) {
      const bounds = clopperPearsonBounds(row.k, row.n, row.alphaLow, row.alphaHigh);
      const label = `${row.k}/${row.n} at (${row.alphaLow}, ${row.alphaHigh})`;
      // Against mpmath we measured ≤ 3e-15; scipy's beta.isf itself is off by up to 3e-11 at
      // n = 1e7 (see make_reference.py), so its rows get 1e-10. A bound computed at k ± 1 or from
      // the wrong tail is off by 1e-4 or more.
      const tolerance = { relative: row.source === "mpmath" ? 1e-13 : 1e-10 };
      expectClose(bounds.low, row.low, tolerance, `low ${label}`);
      expectClose(bounds.high, row.high, tolerance, `high ${label}`);
    }
  });

  it("puts exactly the requested tail probability beyond each bound", () => {
    const { low, high } = clopperPearsonBounds(37, 400, 0.001, 0.04);
    expectClose(binomialSurvival(36, 400, low), 0.001, { relative: 1e-12 });
    expectClose(binomialCdf(37, 400, high), 0.04, { relative: 1e-12 });
  });

  it("is exactly 0 below 0/n, exactly 1 above n/n, and vacuous without trials", () => {
    expect(clopperPearsonBounds(0, 250, 0.05, 0.05).low).toBe(0);
    expect(clopperPearsonBounds(250, 250, 0.05, 0.05).high).toBe(1);
    expect(clopperPearsonBounds(0, 0, 0.05, 0.05)).toEqual({ low: 0, high: 1 });
  });

  it("mirrors successes and failures, swapping the levels", () => {
    const successes = clopperPearsonBounds(7, 40, 0.01, 0.1);
    const failures = clopperPearsonBounds(33, 40, 0.1, 0.01);
    expectClose(successes.low, 1 - failures.high, { relative: 1e-13 });
    expectClose(successes.high, 1 - failures.low, { relative: 1e-13 });
  });

  it("rejects impossible counts and levels, naming the argument", () => {
    expect(() => clopperPearsonBounds(5, 3, 0.05, 0.05)).toThrow(
      /successes must be an integer in \[0, trials = 3\], got 5/,
    );
    expect(() => clopperPearsonBounds(1, 2.5, 0.05, 0.05)).toThrow(/trials must be a non-negative integer/);
    expect(() => clopperPearsonBounds(1, 3, 0, 0.05)).toThrow(
      /alphaLow must be strictly between 0 and 1.*got 0/,
    );
    expect(() => clopperPearsonBounds(1, 3, 0.05, 5)).toThrow(
      /alphaHigh must be strictly between 0 and 1.*got 5/,
    );
    expect(() => clopperPearsonBounds(1, 3, 0.05, Number.NaN)).toThrow(/alphaHigh/);
  });
});
