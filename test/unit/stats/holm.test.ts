import { describe, expect, it } from "vitest";
import { holmAdjust } from "../../../src/stats/holm.js";
import { expectClose, reference } from "./reference.js";

describe("Holm = statsmodels multipletests(method='holm')", () => {
  it("matches, in input order, with ties, 0, 1 and 50 p-values", () => {
    for (const row of reference.holm) {
      const adjusted = holmAdjust(row.p);
      expect(adjusted).toHaveLength(row.adjusted.length);
      row.adjusted.forEach((expected, index) => {
        expectClose(
          adjusted[index] as number,
          expected,
          { relative: 1e-14 },
          `p[${index}] of ${row.p.length}`,
        );
      });
    }
  });

  it("is monotone in the raw p-values and capped at 1", () => {
    const raw = [0.2, 0.001, 0.04, 0.5, 0.03, 0.9];
    const adjusted = holmAdjust(raw);
    const byRaw = raw.map((p, index) => [p, adjusted[index] as number] as const).sort((a, b) => a[0] - b[0]);
    for (let index = 1; index < byRaw.length; index++) {
      expect((byRaw[index] as readonly [number, number])[1]).toBeGreaterThanOrEqual(
        (byRaw[index - 1] as readonly [number, number])[1],
      );
    }
    expect(Math.max(...adjusted)).toBe(1);
    expect(holmAdjust([])).toEqual([]);
  });

  it("rejects values that are not p-values", () => {
    expect(() => holmAdjust([0.1, Number.NaN])).toThrow(/p-value must be in \[0, 1\], got NaN/);
  });
});
