import { describe, expect, it } from "vitest";
import { binomialCdf, binomialLogPmf, binomialPmf, binomialSurvival } from "../../../src/stats/binomial.js";
import { logChoose, logGamma, stirlingError } from "../../../src/stats/log-gamma.js";
import { expectClose, reference } from "./reference.js";

describe("binomial = scipy.stats.binom", () => {
  it("pmf, cdf and sf for n from 0 to 1e7, tails down to 1e-296", () => {
    for (const row of reference.binomial) {
      const label = `(k=${row.k}, n=${row.n}, p=${row.p})`;
      expectClose(binomialPmf(row.k, row.n, row.p), row.pmf, { relative: 1e-11 }, `pmf${label}`);
      expectClose(binomialCdf(row.k, row.n, row.p), row.cdf, { relative: 1e-9 }, `cdf${label}`);
      expectClose(binomialSurvival(row.k, row.n, row.p), row.sf, { relative: 1e-9 }, `sf${label}`);
    }
  });

  it("stays finite in log space where the pmf underflows", () => {
    // P(X = 0) for n = 1e7, p = ½ is 2^(−1e7).
    expectClose(binomialLogPmf(0, 1e7, 0.5), -1e7 * Math.LN2, { relative: 1e-15 });
    expectClose(binomialLogPmf(1e6, 1e7, 0.5), logChoose(1e7, 1e6) - 1e7 * Math.LN2, { relative: 1e-12 });
    expect(binomialCdf(1e6, 1e7, 0.5)).toBe(0);
    expect(binomialSurvival(9e6, 1e7, 0.5)).toBe(0);
  });

  it("handles degenerate p, out-of-range k and fractional k like scipy", () => {
    expect(binomialCdf(0, 10, 0)).toBe(1);
    expect(binomialCdf(9, 10, 1)).toBe(0);
    expect(binomialSurvival(9, 10, 1)).toBe(1);
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialSurvival(10, 10, 0.3)).toBe(0);
    expect(binomialCdf(3.7, 10, 0.5)).toBe(binomialCdf(3, 10, 0.5));
    expect(binomialPmf(2.5, 10, 0.5)).toBe(0);
  });

  it("rejects an invalid n or p", () => {
    expect(() => binomialCdf(1, 10.5, 0.5)).toThrow(/n must be a non-negative integer/);
    expect(() => binomialCdf(1, 10, 1.2)).toThrow(/p must be in \[0, 1\]/);
  });
});

describe("log-gamma family", () => {
  it("logGamma = scipy.special.gammaln", () => {
    for (const row of reference.log_gamma) {
      expectClose(logGamma(row.x), row.value, { relative: 1e-13, absolute: 1e-15 }, `x=${row.x}`);
    }
  });

  it("logChoose = 40-digit mpmath, including n = 1e9", () => {
    for (const row of reference.log_choose) {
      expectClose(
        logChoose(row.n, row.k),
        row.value,
        { relative: 1e-13, absolute: 1e-15 },
        `${row.n}C${row.k}`,
      );
    }
  });

  it("stirlingError = 40-digit mpmath on both sides of every series cut-off", () => {
    for (const row of reference.stirling_error) {
      expectClose(stirlingError(row.n), row.value, { relative: 1e-13 }, `n=${row.n}`);
    }
  });
});
