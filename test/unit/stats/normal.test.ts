import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile, normalSurvival } from "../../../src/stats/normal.js";
import { expectClose, reference } from "./reference.js";

describe("normal distribution = scipy.stats.norm", () => {
  it("CDF and survival at 35 points, to 1e-12 relative in both tails (down to 1e-316)", () => {
    for (const row of reference.normal) {
      // scipy flushes values below the normal range (2.2e-308) to 0; we return the subnormal.
      expectClose(normalCdf(row.z), row.cdf, { relative: 1e-12, absolute: 1e-307 }, `cdf(${row.z})`);
      expectClose(normalSurvival(row.z), row.sf, { relative: 1e-12, absolute: 1e-307 }, `sf(${row.z})`);
    }
  });

  it("quantile from p = 1e-300 to 1 − 1e-15, to 1e-12 relative", () => {
    for (const row of reference.normal_ppf) {
      expectClose(normalQuantile(row.p), row.z, { relative: 1e-12 }, `ppf(${row.p})`);
    }
  });

  it("quantile inverts the CDF", () => {
    for (const p of [1e-250, 1e-40, 3e-11, 1e-3, 0.1, 0.42, 0.5, 0.77, 0.9, 0.995]) {
      expectClose(normalCdf(normalQuantile(p)), p, { relative: 1e-13 }, `cdf(ppf(${p}))`);
    }
  });

  it("is exact at the symmetry point and the ends", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalSurvival(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalCdf(-40)).toBe(0);
  });

  it("rejects probabilities outside [0, 1]", () => {
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(/probability must be in \[0, 1\]/);
  });
});
