import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../src/stats/bootstrap.js";
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

describe("pairedRateDifference with exact margins", () => {
  it("is at least as wide as the Wilson form, around the same estimate", () => {
    for (const table of [
      { both: 30, baselineOnly: 12, candidateOnly: 4, neither: 154 },
      { both: 0, baselineOnly: 0, candidateOnly: 3, neither: 197 },
      { both: 540, baselineOnly: 70, candidateOnly: 50, neither: 340 },
    ]) {
      const wilson = pairedRateDifference(table, 0.95);
      const exact = pairedRateDifference(table, 0.95, { exactMargins: true });
      expect(exact?.estimate).toBe(wilson?.estimate);
      expect(exact?.low).toBeLessThanOrEqual(wilson?.low ?? 0);
      expect(exact?.high).toBeGreaterThanOrEqual(wilson?.high ?? 0);
    }
  });

  // CPU-bound (0.8 s alone): a longer timeout, since beside other workers on two cores it passed 5 s.
  it("misses the true difference on each side at most 2.5% of the time (seeded, 4,000 tables)", () => {
    const random = mulberry32(3);
    const [n, gained, lost, baseline] = [500, 0.05, 0.07, 0.6];
    let above = 0;
    let below = 0;
    const runs = 4000;
    for (let run = 0; run < runs; run++) {
      const table = { both: 0, baselineOnly: 0, candidateOnly: 0, neither: 0 };
      for (let i = 0; i < n; i++) {
        const u = random();
        if (u < gained) table.candidateOnly++;
        else if (u < gained + lost) table.baselineOnly++;
        else if (u < baseline + gained) table.both++;
        else table.neither++;
      }
      const interval = pairedRateDifference(table, 0.95, { exactMargins: true });
      if ((interval?.high ?? 1) < gained - lost) above++;
      if ((interval?.low ?? -1) > gained - lost) below++;
    }
    const limit = 0.025 + 3 * Math.sqrt((0.025 * 0.975) / runs);
    expect(above / runs).toBeLessThanOrEqual(limit);
    expect(below / runs).toBeLessThanOrEqual(limit);
  }, 60_000);
});
