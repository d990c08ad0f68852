import { describe, expect, it } from "vitest";
import { mcnemarExact, pairedBinaryTest, pairedRateDifference } from "../../../src/stats/mcnemar.js";
import { expectClose, reference } from "./reference.js";

describe("exact McNemar = statsmodels mcnemar(exact=True)", () => {
  it("matches for 12 tables, up to 100 600 discordant pairs", () => {
    for (const row of reference.mcnemar) {
      expectClose(mcnemarExact(row.b, row.c), row.p, { relative: 1e-9 }, `b=${row.b}, c=${row.c}`);
    }
  });

  it("gives p = 1 without discordant pairs and is symmetric in b and c", () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(4000, 4400)).toBe(mcnemarExact(4400, 4000));
  });

  it("rejects counts that are not counts", () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(/baselineOnly must be a non-negative integer count, got -1/);
    expect(() => mcnemarExact(1, 2.5)).toThrow(RangeError);
  });
});

describe("paired rate difference (Newcombe 1998, method 10)", () => {
  it("reproduces the published example (Fagerland, Lydersen & Laake 2017, ch. 8: −0.0621, −0.1186 to −0.0046)", () => {
    const interval = pairedRateDifference({ both: 59, baselineOnly: 16, candidateOnly: 6, neither: 80 });
    expect(interval?.estimate.toFixed(4)).toBe("-0.0621");
    expect(interval?.low.toFixed(4)).toBe("-0.1186");
    expect(interval?.high.toFixed(4)).toBe("-0.0046");
  });

  it("matches the formula over statsmodels' Wilson intervals, incl. empty margins", () => {
    for (const row of reference.paired_difference) {
      const interval = pairedRateDifference(row, row.confidence);
      const label = `${row.both}/${row.baselineOnly}/${row.candidateOnly}/${row.neither} at ${row.confidence}`;
      expect(interval, label).toBeDefined();
      expectClose(
        interval?.estimate ?? Number.NaN,
        row.estimate,
        { relative: 1e-12, absolute: 1e-15 },
        label,
      );
      expectClose(interval?.low ?? Number.NaN, row.low, { relative: 1e-9, absolute: 1e-15 }, label);
      expectClose(interval?.high ?? Number.NaN, row.high, { relative: 1e-9, absolute: 1e-15 }, label);
    }
  });

  it("is undefined for an empty table", () => {
    expect(pairedRateDifference({ both: 0, baselineOnly: 0, candidateOnly: 0, neither: 0 })).toBeUndefined();
  });

  it("pairedBinaryTest combines the p-value and the interval", () => {
    const table = { both: 1000, baselineOnly: 4000, candidateOnly: 4400, neither: 600 };
    expect(pairedBinaryTest(table)).toEqual({
      discordant: 8400,
      pValue: mcnemarExact(4000, 4400),
      difference: pairedRateDifference(table),
    });
  });
});
