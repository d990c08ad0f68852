import { describe, expect, it } from "vitest";
import { mean, median, quantile, quantileOfSorted } from "../../../src/stats/quantile.js";
import { expectClose, reference } from "./reference.js";

describe("quantile = numpy.quantile (linear, type 7)", () => {
  it("matches at 12 levels for six samples (unsorted, duplicates, one and two values)", () => {
    for (const row of reference.quantile) {
      row.q.forEach((q, index) => {
        const expected = row.values[index] as number;
        expectClose(
          quantile(row.x, q),
          expected,
          { relative: 1e-14, absolute: 1e-15 },
          `q=${q}, n=${row.x.length}`,
        );
      });
      expectClose(median(row.x), row.median, { relative: 1e-14 });
      expectClose(mean(row.x), row.mean, { relative: 1e-13 });
    }
  });

  it("does not reorder its input, and reads a sorted sample without sorting", () => {
    const values = [3, 1, 2];
    expect(quantile(values, 0.25)).toBe(1.5);
    expect(values).toEqual([3, 1, 2]);
    expect(quantileOfSorted([10, 20, 30, 40], 0.5)).toBe(25);
  });

  it("refuses empty samples, NaN and levels outside [0, 1]", () => {
    expect(() => quantile([], 0.5)).toThrow(/empty sample/);
    expect(() => mean([])).toThrow(/empty sample/);
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(/NaN/);
    expect(() => quantile([1, 2], 1.5)).toThrow(/quantile level must be in \[0, 1\]/);
  });
});
