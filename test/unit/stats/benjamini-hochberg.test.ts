import { describe, expect, it } from "vitest";
import { benjaminiHochberg } from "../../../src/stats/benjamini-hochberg.js";
import { holmAdjust } from "../../../src/stats/holm.js";
import { expectClose, reference } from "./reference.js";

describe("Benjamini–Hochberg = statsmodels multipletests(method='fdr_bh')", () => {
  it("matches, in input order, with ties, 0, 1 and 60 p-values", () => {
    for (const row of reference.benjamini_hochberg) {
      const adjusted = benjaminiHochberg(row.p);
      expect(adjusted).toHaveLength(row.adjusted.length);
      row.adjusted.forEach((expected, index) => {
        expectClose(
          adjusted[index] as number,
          expected,
          { relative: 1e-15 },
          `p[${index}] of ${row.p.length}`,
        );
      });
    }
  });

  it("is monotone in the raw p-values, capped at 1, and never above Holm", () => {
    const raw = [0.2, 0.001, 0.04, 0.5, 0.03, 0.9, 0.03];
    const adjusted = benjaminiHochberg(raw);
    const holm = holmAdjust(raw);
    const order = raw.map((_, index) => index).sort((a, b) => (raw[a] as number) - (raw[b] as number));
    for (let rank = 1; rank < order.length; rank++) {
      expect(adjusted[order[rank] as number]).toBeGreaterThanOrEqual(
        adjusted[order[rank - 1] as number] as number,
      );
    }
    adjusted.forEach((value, index) => {
      expect(value).toBeLessThanOrEqual(1);
      expect(value).toBeGreaterThanOrEqual(raw[index] as number);
      expect(value).toBeLessThanOrEqual(holm[index] as number);
    });
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it("rejects values that are not p-values, naming the position", () => {
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(
      /pValues\[1\] must be a p-value in \[0, 1\], got NaN/,
    );
    expect(() => benjaminiHochberg([1.5])).toThrow(/pValues\[0\]/);
  });
});
