import { describe, expect, it } from "vitest";
import { wilcoxonSignedRank } from "../../../src/stats/wilcoxon.js";
import { expectClose, reference } from "./reference.js";

describe("Wilcoxon signed-rank = scipy.stats.wilcoxon", () => {
  for (const row of reference.wilcoxon) {
    it(row.name, () => {
      const result = wilcoxonSignedRank(row.x, row.options);
      expect(result.method).toBe(row.method);
      expect(result.n).toBe(row.x.filter((value) => value !== 0).length);
      expect(result.statistic).toBe(row.statistic);
      // The exact p is a ratio of counts; the normal one goes through the CDF.
      expectClose(result.pValue, row.p, { relative: row.method === "exact" ? 1e-12 : 1e-10 });
      if (row.z === undefined) expect(result.z).toBeUndefined();
      else expectClose(result.z ?? Number.NaN, row.z, { relative: 1e-12 });
    });
  }

  it("has nothing to test when every difference is zero", () => {
    expect(wilcoxonSignedRank([0, 0, 0])).toEqual({
      n: 0,
      zeros: 3,
      statistic: 0,
      pValue: 1,
      method: "exact",
    });
  });

  it("rejects non-finite differences", () => {
    expect(() => wilcoxonSignedRank([0.1, Number.NaN])).toThrow(/must be finite numbers, got NaN/);
  });
});
