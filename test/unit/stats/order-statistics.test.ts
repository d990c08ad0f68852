import { describe, expect, it } from "vitest";
import { binomialCdf, binomialSurvival } from "../../../src/stats/binomial.js";
import { mulberry32 } from "../../../src/stats/bootstrap.js";
import {
  type OrderStatisticRanks,
  orderStatisticRanks,
  sequentialOrderStatisticRanks,
} from "../../../src/stats/order-statistics.js";
import { reference } from "./reference.js";

describe("order-statistic ranks for a quantile = scipy.stats.binom", () => {
  it("matches for n from 1 to 1e5, including sides with no valid rank", () => {
    for (const row of reference.order_statistic_ranks) {
      expect(orderStatisticRanks(row.n, row.p, row.alphaLow, row.alphaHigh), `n=${row.n} p=${row.p}`).toEqual(
        {
          low: row.low,
          high: row.high,
        },
      );
    }
  });

  it("gives the tightest ranks whose error is within each level", () => {
    const { low, high } = orderStatisticRanks(500, 0.9, 0.01, 0.05);
    if (low === null || high === null) throw new Error("500 observations bound a p90 on both sides");
    expect(binomialCdf(low - 1, 500, 0.9)).toBeLessThanOrEqual(0.01);
    expect(binomialCdf(low, 500, 0.9)).toBeGreaterThan(0.01);
    expect(binomialSurvival(high - 1, 500, 0.9)).toBeLessThanOrEqual(0.05);
    expect(binomialSurvival(high - 2, 500, 0.9)).toBeGreaterThan(0.05);
  });

  it("has no ranks without observations, and rejects a bad n, p or level", () => {
    expect(orderStatisticRanks(0, 0.5, 0.05, 0.05)).toEqual({ low: null, high: null });
    expect(() => orderStatisticRanks(10.5, 0.5, 0.05, 0.05)).toThrow(
      /n must be a non-negative integer count/,
    );
    expect(() => orderStatisticRanks(10, 1, 0.05, 0.05)).toThrow(/p must be strictly between 0 and 1, got 1/);
    expect(() => orderStatisticRanks(10, 0.5, 0.05, -0.1)).toThrow(/alphaHigh must be strictly between/);
  });
});

describe("sequential order-statistic ranks", () => {
  it("are the mixture count range (mpmath reference) shifted to ranks", () => {
    for (const row of reference.mixture_count_range) {
      if (row.p === 0 || row.p === 1) continue;
      expect(sequentialOrderStatisticRanks(row.n, row.p, row.alpha), `n=${row.n} p=${row.p}`).toEqual({
        low: row.low >= 1 ? row.low : null,
        high: row.high + 1 <= row.n ? row.high + 1 : null,
      });
    }
  });

  it("are null where a sample is too small, and wider than the fixed-n ranks", () => {
    expect(sequentialOrderStatisticRanks(0, 0.95, 0.05)).toEqual({ low: null, high: null });
    expect(sequentialOrderStatisticRanks(20, 0.95, 0.05).high).toBeNull();
    const sequential = sequentialOrderStatisticRanks(2000, 0.95, 0.05);
    const once = orderStatisticRanks(2000, 0.95, 0.025, 0.025);
    expect(sequential.low).toBeLessThan(once.low ?? Number.NaN);
    expect(sequential.high).toBeGreaterThan(once.high ?? Number.NaN);
  });

  it("cover the p95 at every n from 30 to 3000 at once (seeded simulation, uniform data)", () => {
    const p = 0.95;
    const alpha = 0.05;
    const streams = 1000;
    const firstLook = 30;
    const length = 3000;
    const sequential: OrderStatisticRanks[] = [];
    const once: OrderStatisticRanks[] = [];
    for (let n = 0; n <= length; n++) {
      sequential.push(sequentialOrderStatisticRanks(n, p, alpha));
      once.push(orderStatisticRanks(n, p, alpha / 2, alpha / 2));
    }
    // X₍ᵣ₎ <= q exactly when at least r observations are <= q, so with C the running count of
    // observations at or below the true p95 (0.95 for uniform data), X₍low₎ > q ⟺ C < low and
    // X₍high₎ < q ⟺ C >= high (a uniform draw equals 0.95 with probability 0). Counting replaces
    // sorting 3000 prefixes of every stream.
    const excludes = (ranks: OrderStatisticRanks, count: number) =>
      (ranks.low !== null && count < ranks.low) || (ranks.high !== null && count >= ranks.high);
    const random = mulberry32(7);
    let everExcluded = 0;
    let everExcludedOnce = 0;
    for (let stream = 0; stream < streams; stream++) {
      let count = 0;
      let excluded = false;
      let excludedOnce = false;
      for (let n = 1; n <= length; n++) {
        if (random() <= p) count++;
        if (n < firstLook) continue;
        if (excludes(sequential[n] as OrderStatisticRanks, count)) excluded = true;
        if (excludes(once[n] as OrderStatisticRanks, count)) excludedOnce = true;
      }
      if (excluded) everExcluded++;
      if (excludedOnce) everExcludedOnce++;
    }
    const monteCarloError = Math.sqrt((alpha * (1 - alpha)) / streams);
    expect(everExcluded / streams).toBeLessThanOrEqual(alpha + 3 * monteCarloError);
    // The check can fail: fixed-n ranks looked at after every observation exclude the p95 in far
    // more than 5% of streams.
    expect(everExcludedOnce / streams).toBeGreaterThan(0.25);
  });
});
