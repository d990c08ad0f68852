import { describe, expect, it } from "vitest";
import type { DriftReport, SufficientSegment } from "../../../src/analyze/report-types.js";
import { redactReport } from "../../../src/harvest/redact.js";
import { example, report } from "../render/report-data.js";

/** A report whose overall segment carries a judge score with one judged example. */
function withJudgeReason(base: DriftReport, reason: string): DriftReport {
  const overall = base.overall as SufficientSegment;
  const judge = {
    source: "judge",
    judge: { examples: [{ request_id: "req-1", replica: 0, verdict: "worse", inconsistent: false, reason }] },
  };
  return { ...base, overall: { ...overall, scores: { ...overall.scores, judge } } } as unknown as DriftReport;
}

describe("redactReport (a report as it leaves the store)", () => {
  it("scrubs the judge's reasons as well as the example pairs", () => {
    const base = report();
    const built = withJudgeReason(
      { ...base, examples: { args_drift: [example({ reason: "wrote to jane.doe@example.com" })] } },
      "B repeats the customer's address jane.doe@example.com and card 4111 1111 1111 1111",
    );
    const redacted = redactReport(built);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain("jane.doe@example.com");
    expect(text).not.toContain("4111 1111 1111 1111");
    const judge = (redacted.overall as SufficientSegment).scores.judge?.judge;
    expect(judge?.examples?.[0]?.reason).toBe("B repeats the customer's address <email> and card <card>");
    expect(redacted.examples.args_drift?.[0]?.reason).toBe("wrote to <email>");
  });

  it("leaves a report without a judge as it was, but for its examples", () => {
    const base = report();
    const redacted = redactReport(base);
    expect(redacted.overall).toEqual(base.overall);
    expect(redacted.segments).toEqual(base.segments);
  });
});
