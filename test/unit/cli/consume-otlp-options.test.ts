import { describe, expect, it } from "vitest";
import { otlpSettings } from "../../../src/cli/commands/consume-otlp-options.js";

const defaults = { traceGrace: 5, traceIdle: 60, maxTraces: 10, maxSpans: 100 } as const;

describe("consume --format otlp options", () => {
  it("gives the OTLP settings in ms for --format otlp with a baseline release", () => {
    expect(otlpSettings({ ...defaults, format: "otlp", baselineRelease: "agent@1.4.0" })).toEqual({
      baselineRelease: "agent@1.4.0",
      graceMs: 5_000,
      idleMs: 60_000,
      maxTraces: 10,
      maxSpans: 100,
    });
    expect(otlpSettings({ ...defaults, format: "exchange", candidate: ["file:c.jsonl"] })).toBeUndefined();
  });

  it("refuses what does not fit the format, as a usage error that says what to do", () => {
    const usage = (options: Parameters<typeof otlpSettings>[0]) => {
      try {
        otlpSettings(options);
      } catch (error) {
        return [(error as { code: string }).code, (error as Error).message];
      }
      return undefined;
    };
    expect(usage({ ...defaults, format: "otlp" })).toEqual([
      "BAD_USAGE",
      "--format otlp needs --baseline-release <id|name|name@version>: the release whose traces are the baseline",
    ]);
    expect(usage({ ...defaults, format: "otlp", baselineRelease: "a", candidate: ["topic:c"] })?.[1]).toMatch(
      /drop --candidate/,
    );
    expect(usage({ ...defaults, format: "exchange" })?.[1]).toMatch(/^--candidate is required/);
    expect(usage({ ...defaults, format: "exchange", candidate: ["file:c"], baselineRelease: "a" })?.[1]).toBe(
      "--baseline-release is for --format otlp",
    );
  });
});
