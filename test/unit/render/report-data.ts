import type { SampledPairRow } from "../../../src/analyze/aggregate-queries.js";
import { buildDriftReport } from "../../../src/analyze/report-builder.js";
import type { ReportData } from "../../../src/analyze/report-reader.js";
import type { DriftReport, ExampleRow } from "../../../src/analyze/report-types.js";
import {
  CLEAN,
  generatePairs,
  reportDataOf,
  type Scenario,
  type SimPair,
} from "../../statistical/simulation.js";

/**
 * Report data for render and gate tests: seeded pairs through the simulation's aggregates (the
 * shape the store reader decodes), with a hash sample and token counts added so the descriptive
 * "typical request" ratios exist. One request in ten loops at 15× the cost and tokens, so the ratio
 * of sums (≈ ×2.4) and the geometric mean of per-request ratios (≈ ×1.3) are far apart.
 */
export const LOOPING: Scenario = {
  ...CLEAN,
  name: "looping candidate",
  driftExcess: 0.15,
  toolsOkDelta: -0.1,
  loopShare: 0.1,
  loopFactor: 15,
};

export const CANDIDATE = {
  id: "sha256:c0ffee00000000000000000000000000000000000000000000000000000000",
  name: "support-agent",
  version: "2.0.0",
  model: "openai/gpt-4.1-2025-04-14",
};
export const BASELINE = {
  id: "sha256:ba5e0000000000000000000000000000000000000000000000000000000000",
  name: "support-agent",
  version: "1.0.0",
  model: "openai/gpt-4o-2024-08-06",
};

function sampleOf(pairs: readonly SimPair[], offset: number): SampledPairRow[] {
  return pairs.map((pair, index) => ({
    hash: offset + index,
    request_id: `req-${offset + index}`,
    replica: 0,
    baseline_latency: pair.baselineLatency,
    candidate_latency: pair.candidateLatency,
    baseline_cost: pair.baselineCost,
    candidate_cost: pair.candidateCost,
    priced: 1,
    completed: pair.baselineError || pair.candidateError ? 0 : 1,
    // Tokens follow cost (one price per token on each side).
    baseline_tokens: Math.round(pair.baselineCost * 250_000),
    candidate_tokens: Math.round(pair.candidateCost * 250_000),
    category: "identical",
    pathset_key: "0",
  }));
}

export function reportData(
  options: { scenario?: Scenario; pairs?: number; seed?: number; byTenant?: boolean } = {},
): ReportData {
  const pairs = generatePairs(options.scenario ?? LOOPING, options.pairs ?? 600, options.seed ?? 7);
  const data = reportDataOf(pairs, options.byTenant ?? true);
  const segments = data.segments.map((segment) => {
    const members =
      segment.dimension === "" ? pairs : pairs.filter((pair) => pair.tenant === segment.segment);
    const sample = sampleOf(members, 0);
    const sum = (field: "baseline_tokens" | "candidate_tokens") =>
      sample.reduce((total, row) => total + Number(row[field]), 0);
    return {
      ...segment,
      sample,
      tokens: {
        ...segment.tokens,
        baselineSum: sum("baseline_tokens"),
        candidateSum: sum("candidate_tokens"),
      },
      toolCalls: {
        baseline: { calls: 2 * members.length, invalid: 0, failed: 0 },
        candidate: { calls: 2 * members.length, invalid: 3, failed: 1 },
      },
    };
  });
  return {
    ...data,
    candidate: CANDIDATE,
    baseline: BASELINE,
    sampleLimit: 1000,
    segments,
    manifests: { baseline: true, candidate: true },
  };
}

export function report(data: ReportData = reportData()): DriftReport {
  return buildDriftReport(data, { minPairs: 30 });
}

/** The same data with every tenant label replaced by a hostile one (pipes, markup, newline, length). */
export function withSegmentValues(data: ReportData, value: (segment: string) => string): ReportData {
  return {
    ...data,
    segments: data.segments.map((segment) =>
      segment.dimension === "" ? segment : { ...segment, segment: value(segment.segment) },
    ),
    aaSegments: new Map(
      [...data.aaSegments].map(([key, aa]) => {
        const [dimension, segment] = [key.slice(0, key.indexOf("=")), key.slice(key.indexOf("=") + 1)];
        return [dimension === "" ? key : `${dimension}=${value(segment)}`, aa];
      }),
    ),
  };
}

export function example(overrides: Partial<ExampleRow> = {}): ExampleRow {
  return {
    request_id: "req-1",
    replica: 0,
    reason: "candidate failed: timeout: provider did not answer within 30000 ms",
    alignment: "",
    baseline_steps: [],
    candidate_steps: [],
    baseline_answer: { output: "Your refund of 42 EUR is on its way.", refusal: false, error: null },
    candidate_answer: {
      output: null,
      refusal: false,
      error: { type: "timeout", message: "provider did not answer within 30000 ms" },
    },
    ...overrides,
  } as ExampleRow;
}
