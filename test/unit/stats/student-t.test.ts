import { describe, expect, it } from "vitest";
import { logGamma } from "../../../src/stats/log-gamma.js";
import { normalQuantile } from "../../../src/stats/normal.js";
import { studentCdf, studentQuantile } from "../../../src/stats/student-t.js";

/**
 * An independent route to the t CDF: Simpson's rule on the density
 * Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2) from 0 to t, plus ½.
 */
function integratedCdf(t: number, degrees: number): number {
  const logScale = logGamma((degrees + 1) / 2) - logGamma(degrees / 2) - 0.5 * Math.log(degrees * Math.PI);
  const density = (u: number) => Math.exp(logScale - ((degrees + 1) / 2) * Math.log1p((u * u) / degrees));
  const steps = 20_000;
  const h = t / steps;
  let sum = density(0) + density(t);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + (sum * h) / 3;
}

describe("Student's t", () => {
  it("CDF in closed form agrees with the integrated density, odd and even ν", () => {
    for (const degrees of [1, 2, 3, 4, 9, 10, 29, 30, 101]) {
      for (const t of [0.3, 1.5, 2.7, 4.2]) {
        expect(studentCdf(t, degrees)).toBeCloseTo(integratedCdf(t, degrees), 11);
        expect(studentCdf(-t, degrees)).toBeCloseTo(1 - integratedCdf(t, degrees), 11);
      }
    }
  });

  it("quantiles match published table values", () => {
    // Fisher & Yates' tables (and any statistics package).
    expect(studentQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(studentQuantile(0.995, 10)).toBeCloseTo(3.1693, 4);
    expect(studentQuantile(0.975, 29)).toBeCloseTo(2.0452, 4);
    expect(studentQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentQuantile(0.95, 120)).toBeCloseTo(1.6577, 4);
  });

  it("the series (ν >= 30) inverts the exact CDF at the tails a gate uses", () => {
    for (const degrees of [30, 31, 99, 199, 999]) {
      for (const p of [0.975, 1 - 0.025 / 6, 1 - 0.025 / 30, 0.9999]) {
        const tail = 1 - studentCdf(studentQuantile(p, degrees), degrees);
        const tolerance = 1 - p < 1e-3 ? 4e-5 : 8e-6;
        expect(Math.abs(tail - (1 - p)) / (1 - p)).toBeLessThan(tolerance);
      }
    }
  });

  it("bisection (ν < 30) inverts the exact CDF to rounding", () => {
    for (const degrees of [1, 2, 5, 29]) {
      for (const p of [0.6, 0.975, 1 - 0.025 / 30]) {
        expect(studentCdf(studentQuantile(p, degrees), degrees)).toBeCloseTo(p, 13);
      }
    }
  });

  it("is odd about the median and approaches the normal quantile", () => {
    expect(studentQuantile(0.5, 7)).toBe(0);
    expect(studentQuantile(0.025, 7)).toBe(-studentQuantile(0.975, 7));
    expect(studentQuantile(0.025, 50)).toBeCloseTo(-studentQuantile(0.975, 50), 14);
    expect(studentQuantile(0.975, 1e9)).toBeCloseTo(normalQuantile(0.975), 8);
  });

  it("refuses what is not a level or a count of degrees of freedom", () => {
    expect(() => studentQuantile(0.975, 0)).toThrow(/integer >= 1/);
    expect(() => studentQuantile(0.975, 2.5)).toThrow(/integer >= 1/);
    expect(() => studentQuantile(1, 50)).toThrow(RangeError);
  });
});
