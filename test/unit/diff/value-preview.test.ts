import { describe, expect, it } from "vitest";
import { record } from "../records.js";
import { diffRecords } from "./trace-helpers.js";

const summary = (amount: string) =>
  `User Lucas Brown (user ID: lucas_brown_4047) asked to change reservation ZFA04Y; refunded ${amount} to the gift card on file.`;

/** Splits `outcome.summary A → B` into its two shown values. */
function shownValues(reason: string): [string, string] {
  const match = /^outcome\.summary (.*) → (.*)$/.exec(reason);
  if (match === null) throw new Error(`unexpected reason: ${reason}`);
  return [match[1] as string, match[2] as string];
}

describe("long values in reasons show where they differ", () => {
  it("two long strings that differ late show a window around the first difference", () => {
    const result = diffRecords(
      record({ outcome: { summary: summary("$120") } }),
      record({ outcome: { summary: summary("$150") } }),
    );
    const [baseline, candidate] = shownValues(result.reason);
    expect(baseline).not.toBe(candidate);
    expect(baseline).toContain("$120");
    expect(candidate).toContain("$150");
    // Cut on both sides: the shared start and the shared end are elided.
    expect(baseline.startsWith("…")).toBe(true);
    expect(baseline.endsWith("…")).toBe(true);
    expect(baseline.length).toBeLessThanOrEqual(42);
    expect(candidate.length).toBeLessThanOrEqual(42);
  });

  it("a difference near the start keeps the start and cuts only the end", () => {
    const result = diffRecords(
      record({ outcome: { summary: `A${summary("$1")}` } }),
      record({ outcome: { summary: `B${summary("$1")}` } }),
    );
    const [baseline, candidate] = shownValues(result.reason);
    expect(baseline.startsWith('"A')).toBe(true);
    expect(candidate.startsWith('"B')).toBe(true);
    expect(baseline.endsWith("…")).toBe(true);
  });

  it("a longer value that only adds a tail shows where it starts", () => {
    const result = diffRecords(
      record({ outcome: { summary: summary("$1") } }),
      record({ outcome: { summary: `${summary("$1")} Also sent a voucher.` } }),
    );
    const [baseline, candidate] = shownValues(result.reason);
    expect(baseline).not.toBe(candidate);
    expect(baseline.endsWith('file."')).toBe(true);
    expect(candidate).toContain("Also");
  });

  it("short values are shown whole", () => {
    const result = diffRecords(
      record({ outcome: { summary: "refunded $120" } }),
      record({ outcome: { summary: "refunded $150" } }),
    );
    expect(result.reason).toBe('outcome.summary "refunded $120" → "refunded $150"');
  });

  it("never cuts a character in half", () => {
    const face = "😀".repeat(30);
    const result = diffRecords(
      record({ outcome: { summary: `${face}x${face}` } }),
      record({ outcome: { summary: `${face}y${face}` } }),
    );
    const [baseline, candidate] = shownValues(result.reason);
    expect(baseline).toContain("x");
    expect(candidate).toContain("y");
    // A lone surrogate would not survive a UTF-8 round trip.
    expect(Buffer.from(baseline, "utf8").toString("utf8")).toBe(baseline);
    expect(Buffer.from(candidate, "utf8").toString("utf8")).toBe(candidate);
  });
});
