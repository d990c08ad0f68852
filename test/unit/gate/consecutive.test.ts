import { describe, expect, it } from "vitest";
import { consecutiveVerdict, lookEnds } from "../../../src/gate/consecutive.js";

const policy = { windows: 3, minutes: 10 };

describe("consecutive windows", () => {
  it("looks back K windows of M minutes, newest first", () => {
    expect(lookEnds(10_000, policy)).toEqual([10_000, 9_400, 8_800]);
  });

  it("promotes only after K promotes in a row", () => {
    const looks = [
      { until: 3, verdict: "promote" as const },
      { until: 2, verdict: "promote" as const },
      { until: 1, verdict: "promote" as const },
    ];
    expect(consecutiveVerdict(looks, policy)).toMatchObject({ verdict: "promote", reason: null });
  });

  it("holds, saying how many in a row, when an earlier look did not promote", () => {
    const result = consecutiveVerdict(
      [
        { until: 3, verdict: "promote" },
        { until: 2, verdict: "hold" },
      ],
      policy,
    );
    expect(result.verdict).toBe("hold");
    expect(result.reason).toBe("promote at 1 of 3 consecutive 10-minute looks; promotes after 3 in a row");
  });

  it("a fail or a hold at the latest look stands as it is", () => {
    expect(consecutiveVerdict([{ until: 3, verdict: "fail" }], policy).verdict).toBe("fail");
    expect(consecutiveVerdict([{ until: 3, verdict: "hold" }], policy).verdict).toBe("hold");
  });
});
