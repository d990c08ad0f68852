import { describe, expect, it } from "vitest";
import type { DriftReport, SegmentReport } from "../../../src/analyze/report-types.js";
import { ALPHA, evaluate } from "../../../src/gate/evaluate.js";
import type { Policy } from "../../../src/gate/policy.js";
import { report, reportData } from "../render/report-data.js";

const base: Policy = {
  version: 1,
  min_pairs: 200,
  min_pairs_per_segment: 30,
  guardrails: { drift_rate: { max: 0.05 }, error_rate: { max: 0.02 } },
};

/** The report as the store would give it when no record has the label: one `(none)` segment of every pair. */
function withoutLabel(built: DriftReport, dimension: string): DriftReport {
  const whole: SegmentReport = { ...built.overall, dimension, value: "(none)" };
  return { ...built, segments: { [dimension]: [whole] } };
}

describe("gate: a segment label no record has", () => {
  const built = withoutLabel(report(reportData({ byTenant: false })), "tenant");

  it("warns about the missing label and does not judge the whole population twice", () => {
    const policy: Policy = {
      ...base,
      segments: [{ by: "tenant", guardrails: { drift_rate: { max: 0.08 } } }],
    };
    const result = evaluate(built, policy);
    expect(result.warnings).toEqual([
      "no record has the label 'tenant': its only segment, tenant=(none), holds all 600 pairs and is judged as the overall",
    ]);
    const segmentChecks = result.guardrails.filter((guardrail) => guardrail.segment !== null);
    expect(segmentChecks.map((guardrail) => guardrail.status)).toEqual(["not_judged"]);
    expect(segmentChecks[0]?.reason).toContain("tenant=(none)");
    expect(segmentChecks[0]?.reason).toContain("judged once, as the overall drift_rate (max 0.05)");
    // The family is the two overall checks only.
    const overall = result.guardrails.filter((guardrail) => guardrail.segment === null);
    expect(overall.map((guardrail) => guardrail.fail_alpha)).toEqual([ALPHA / 2, ALPHA / 2]);
  });

  it("a stricter segment limit replaces the overall one instead of adding a second check", () => {
    const policy: Policy = {
      ...base,
      segments: [{ by: "tenant", guardrails: { drift_rate: { max: 0.03 } } }],
    };
    const result = evaluate(built, policy);
    const drift = result.guardrails.filter(
      (guardrail) => guardrail.guardrail === "drift_rate" && guardrail.status !== "not_judged",
    );
    expect(drift).toHaveLength(1);
    expect(drift[0]?.limit).toEqual({ max: 0.03 });
    expect(drift[0]?.fail_alpha).toBe(ALPHA / 2);
  });

  it("a segment guardrail the overall lacks is judged once on all pairs, by the overall minimum", () => {
    const policy: Policy = {
      ...base,
      min_pairs: 100,
      min_pairs_per_segment: 5000,
      segments: [{ by: "tenant", guardrails: { cost_per_task_ratio: { max: 1.25 } } }],
    };
    const result = evaluate(built, policy);
    const cost = result.guardrails.find((guardrail) => guardrail.guardrail === "cost_per_task_ratio");
    // The looping candidate costs ×2.3: past its limit, judged although 600 < min_pairs_per_segment.
    expect(cost?.status).toBe("fail");
    expect(cost?.segment).toBe("tenant=(none)");
    expect(cost?.fail_alpha).toBe(ALPHA / 3);
    expect(result.warnings).toHaveLength(1);
  });

  it("labels that exist give no warning", () => {
    const labelled = report(reportData({ byTenant: true }));
    const policy: Policy = {
      ...base,
      segments: [{ by: "tenant", guardrails: { drift_rate: { max: 0.08 } } }],
    };
    expect(evaluate(labelled, policy).warnings).toEqual([]);
  });
});

describe("gate: tool calls not checked against a manifest", () => {
  const policy: Policy = { ...base, guardrails: { tool_call_success_delta: { min: -0.02 } } };

  it("does not judge tool_call_success_delta, and says why", () => {
    const built = report({ ...reportData(), manifests: { baseline: true, candidate: false } });
    const [result] = evaluate(built, policy).guardrails;
    expect(result?.status).toBe("not_judged");
    expect(result?.reason).toContain(
      "tool_call_success_delta not judged: tool-call validity not checked (no manifest for release support-agent@2.0.0",
    );
  });

  it("judges it when both releases' calls were checked", () => {
    const built = report();
    const [result] = evaluate(built, policy).guardrails;
    expect(result?.status).toBe("fail");
  });
});

it("gate: a policy segment the report lacks names the guardrail and the segment in its reason", () => {
  const built = report(reportData({ byTenant: false }));
  const policy: Policy = { ...base, segments: [{ by: "region", guardrails: { drift_rate: { max: 0.08 } } }] };
  const missing = evaluate(built, policy).guardrails.find((guardrail) => guardrail.segment !== null);
  expect(missing?.reason).toMatch(/^drift_rate \[region=\*\]: the report has no 'region' segments/);
});
