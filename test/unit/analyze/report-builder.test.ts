import { describe, expect, it } from "vitest";
import { buildDriftReport } from "../../../src/analyze/report-builder.js";
import type { SegmentReport, SufficientSegment } from "../../../src/analyze/report-types.js";
import { BASELINE, CANDIDATE, LOOPING, reportData } from "../render/report-data.js";

function sufficient(segments: readonly SegmentReport[]): SufficientSegment[] {
  return segments.filter((segment): segment is SufficientSegment => segment.sufficient);
}

/** Holm's step-down, written out here as the textbook gives it (the oracle, not the code's). */
function holm(pValues: readonly number[]): number[] {
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}

describe("buildDriftReport (pure: report data in, drift report out)", () => {
  const data = reportData({ pairs: 600, seed: 11 });

  it("names both releases, the settings and the overall segment first", () => {
    const report = buildDriftReport(data, { minPairs: 30 });
    expect(report.schema).toBe("shadowdiff.report/v1");
    expect(report.candidate.id).toBe(CANDIDATE.id);
    expect(report.baseline.id).toBe(BASELINE.id);
    expect(report.settings).toEqual({
      min_pairs: 30,
      confidence: 0.95,
      sample_limit: 1000,
      segments: ["tenant"],
    });
    expect(report.overall.dimension).toBeNull();
    expect(report.overall.pairs).toBe(600);
    const tenants = report.segments.tenant ?? [];
    expect(tenants.reduce((total, segment) => total + segment.pairs, 0)).toBe(600);
  });

  it("is deterministic: the same data builds the same report", () => {
    expect(JSON.stringify(buildDriftReport(data))).toBe(JSON.stringify(buildDriftReport(data)));
  });

  it("says a segment is too small instead of printing its rates, at the given min_pairs", () => {
    const tenants = data.segments.filter((segment) => segment.dimension === "tenant");
    const smallest = Math.min(...tenants.map((segment) => segment.pairs));
    const report = buildDriftReport(data, { minPairs: smallest + 1 });
    const small = (report.segments.tenant ?? []).filter((segment) => segment.pairs === smallest);
    expect(small.length).toBeGreaterThan(0);
    for (const segment of small) {
      expect(segment.sufficient).toBe(false);
      if (!segment.sufficient)
        expect(segment.note).toBe(`too few pairs to tell (${smallest} < ${smallest + 1})`);
    }
    expect(report.overall.sufficient).toBe(true);
  });

  it("adjusts p-values across the segments of a dimension by Holm, and leaves overall unadjusted", () => {
    // More refusals on the candidate, so the segments' p-values are below 1 and differ.
    const shifted = reportData({ scenario: { ...LOOPING, refusalDelta: 0.06 }, pairs: 800, seed: 3 });
    const report = buildDriftReport(shifted, { minPairs: 30 });
    const segments = sufficient(report.segments.tenant ?? []);
    expect(segments.length).toBeGreaterThan(1);
    const pValues = segments.map((segment) => segment.refusal.p_value);
    expect(Math.max(...pValues)).toBeLessThan(1);
    const expected = holm(pValues);
    expect(expected).not.toEqual(pValues);
    segments.forEach((segment, index) => {
      expect(segment.refusal.p_adjusted).toBeCloseTo(expected[index] as number, 12);
    });
    const expectedErrors = holm(segments.map((segment) => segment.errors.p_value));
    segments.forEach((segment, index) => {
      expect(segment.errors.p_adjusted).toBeCloseTo(expectedErrors[index] as number, 12);
    });
    if (report.overall.sufficient)
      expect(report.overall.refusal.p_adjusted).toBe(report.overall.refusal.p_value);
  });

  it("notes which release's tool calls were never checked when its manifest is missing", () => {
    const checked = buildDriftReport(data);
    if (!checked.overall.sufficient) throw new Error("overall should be sufficient");
    expect(checked.overall.tool_calls.validity_note).toBeNull();
    const unchecked = buildDriftReport({ ...data, manifests: { baseline: true, candidate: false } });
    if (!unchecked.overall.sufficient) throw new Error("overall should be sufficient");
    expect(unchecked.overall.tool_calls.validity_note).toContain("not checked");
    expect(unchecked.overall.tool_calls.validity_note).toContain(CANDIDATE.version);
    expect(unchecked.overall.tool_calls.candidate.checked).toBe(false);
  });

  it("reports no noise floor and no net drift estimate without an A/A run", () => {
    const report = buildDriftReport({ ...data, noise: { ...data.noise, aaPairs: 0 }, aaSegments: new Map() });
    expect(report.noise).toBeNull();
  });

  it("passes the examples and unpaired counts through as read", () => {
    const report = buildDriftReport({ ...data, unpaired: { baseline: 3, candidate: 5 } });
    expect(report.unpaired).toEqual({ baseline: 3, candidate: 5 });
    expect(report.examples).toBe(data.examples);
  });
});
