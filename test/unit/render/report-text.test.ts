import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { SufficientSegment } from "../../../src/analyze/report-types.js";
import { GUARDRAILS, TARGETED_GUARDRAILS } from "../../../src/gate/policy.js";
import { renderHtml } from "../../../src/render/report-html.js";
import { renderReport } from "../../../src/render/report-text.js";
import { report, reportData, withSegmentValues } from "./report-data.js";

const sufficient = (segment: unknown) => segment as SufficientSegment;
const formats = ["terminal", "markdown"] as const;
const number = (text: string) => Number(text.replace(/[^\d.+-]/g, ""));

/** Every `×a – ×b` (or `a – b pt`) interval on a line, and every other ratio (or points figure) beside it. */
function intervalsAndPoints(line: string, unit: "×" | "pt") {
  const intervalPattern =
    unit === "×" ? /×(\d+\.\d+) – (?:×(\d+\.\d+)|∞)/g : /([-+]\d+\.\d+)(?: pt)? – ([-+]\d+\.\d+) pt/g;
  const intervals = [...line.matchAll(intervalPattern)].map((match) => ({
    low: Number(match[1]),
    high: match[2] === undefined ? Number.POSITIVE_INFINITY : Number(match[2]),
  }));
  const rest = line.replace(intervalPattern, " ");
  const points = [...rest.matchAll(unit === "×" ? /×(\d+\.\d+)/g : /([-+]\d+\.\d+) pt/g)].map((match) =>
    Number(match[1]),
  );
  return { intervals, points };
}

describe("report text: one statistic per line", () => {
  const built = report();
  const overall = sufficient(built.overall);

  it("the data has a ratio of sums far from the typical per-request ratio", () => {
    expect(overall.cost.priced).toBe(true);
    if (!overall.cost.priced) return;
    expect(overall.cost.ratio).toBeGreaterThan(2);
    expect(overall.cost.typical.ratio).toBeLessThan(1.6);
    expect(overall.tokens.ratio_of_means).toBeGreaterThan(2);
    expect(overall.tokens.ratio).toBeLessThan(1.6);
  });

  for (const format of formats) {
    it(`${format}: every point shown beside an interval lies inside it`, () => {
      const lines = renderReport(built, format).split("\n");
      for (const line of lines) {
        for (const unit of ["×", "pt"] as const) {
          const { intervals, points } = intervalsAndPoints(line, unit);
          if (intervals.length !== 1) continue;
          const [interval] = intervals;
          for (const point of points) {
            expect(point, line).toBeGreaterThanOrEqual((interval?.low ?? 0) - 0.005);
            expect(point, line).toBeLessThanOrEqual((interval?.high ?? 0) + 0.005);
          }
        }
      }
    });

    it(`${format}: cost per task is the ratio of sums with Fieller's interval; the typical ratio has its own line`, () => {
      if (!overall.cost.priced) throw new Error("unpriced");
      const cost = overall.cost;
      const lines = renderReport(built, format).split("\n");
      const costLine = lines.find((line) => /cost per task/.test(line)) ?? "";
      expect(costLine).toContain(`×${cost.ratio?.toFixed(2)}`);
      expect(costLine).toContain(`×${cost.ratio_low?.toFixed(2)} – ×${cost.ratio_high?.toFixed(2)}`);
      const typical = lines.find((line) => /cost, typical request/.test(line)) ?? "";
      expect(typical).toContain(`×${cost.typical.ratio?.toFixed(2)}`);
      expect(typical).toContain(
        `×${cost.typical.ratio_low?.toFixed(2)} – ×${cost.typical.ratio_high?.toFixed(2)}`,
      );
      expect(typical).not.toContain(`×${cost.ratio?.toFixed(2)}`);
    });
  }

  it("JSON: each point sits with its own interval (cost ratio of sums, typical ratio, tokens)", () => {
    if (!overall.cost.priced) throw new Error("unpriced");
    const within = (point: number | null, low: number | null, high: number | null) =>
      point !== null && low !== null && high !== null && low <= point && point <= high;
    expect(within(overall.cost.ratio, overall.cost.ratio_low, overall.cost.ratio_high)).toBe(true);
    const typical = overall.cost.typical;
    expect(within(typical.ratio, typical.ratio_low, typical.ratio_high)).toBe(true);
    expect(within(overall.tokens.ratio, overall.tokens.ratio_low, overall.tokens.ratio_high)).toBe(true);
    const difference = overall.tool_calls.all_ok.difference;
    expect(difference.estimate).toBeCloseTo(
      overall.tool_calls.all_ok.candidate.rate - overall.tool_calls.all_ok.baseline.rate,
      12,
    );
    expect(within(difference.estimate, difference.low, difference.high)).toBe(true);
  });
});

describe("report text: one name per metric", () => {
  const built = report();
  for (const format of formats) {
    it(`${format}: every guardrail a policy can name has a row under its name`, () => {
      const text = renderReport(built, format);
      for (const guardrail of [...GUARDRAILS, ...TARGETED_GUARDRAILS]) expect(text).toContain(guardrail);
      const successRow = text.split("\n").find((line) => line.includes("tool_call_success_delta")) ?? "";
      expect(successRow).toContain("pairs with all tool calls ok");
      // The per-call success rate is not a second "tool-call success".
      expect(text).not.toMatch(/^\|? ?tool-call success /m);
    });
  }

  it("docs/SEMANTICS.md lists every guardrail under the report's metric name", async () => {
    const docs = await readFile("docs/SEMANTICS.md", "utf8");
    const terminal = renderReport(built, "terminal").split("\n");
    for (const guardrail of GUARDRAILS) {
      const row = terminal.find((line) => new RegExp(`\\b${guardrail}\\b`).test(line)) ?? "";
      const metric = row.slice(0, row.indexOf(guardrail)).trim();
      expect(metric, guardrail).not.toBe("");
      expect(docs).toContain(`| \`${guardrail}\` | ${metric} |`);
    }
  });
});

describe("report text: tool-call validity without a manifest", () => {
  const data = { ...reportData(), manifests: { baseline: true, candidate: false } };
  const built = report(data);

  it("JSON says the candidate's calls were not checked, and why", () => {
    const calls = sufficient(built.overall).tool_calls;
    expect(calls.candidate.checked).toBe(false);
    expect(calls.baseline.checked).toBe(true);
    expect(calls.validity_note).toBe(
      "not checked (no manifest for release support-agent@2.0.0 (sha256:c0ffee00000000000000000000000000000000000000000000000000000000))",
    );
  });

  for (const format of formats) {
    it(`${format}: says "not checked", never a rate`, () => {
      const text = renderReport(built, format);
      expect(text).toContain("not checked (no manifest for release support-agent@2.0.0");
      const row = text.split("\n").find((line) => line.includes("schema-valid calls")) ?? "";
      expect(row).toContain("not checked");
      expect(row).not.toMatch(/\d%/);
    });
  }
});

describe("report text: fits 120 columns and survives hostile labels", () => {
  const hostile = (segment: string) =>
    `${segment}|<script>alert(1)</script>\nnext line\u001b[31m${"x".repeat(300)}`;
  const built = report(withSegmentValues(reportData(), hostile));

  it("terminal: no line is longer than 120 characters; long labels end in an ellipsis", () => {
    const text = renderReport(built, "terminal");
    for (const line of text.split("\n")) expect([...line].length, line).toBeLessThanOrEqual(120);
    expect(text).toMatch(/^acme\|<script>alert\(1\)[^\n]*… /m);
    expect(text).not.toMatch(/^next line/m);
    // No control character reaches the terminal (an ESC would recolour it).
    const controls = [...text].filter((char) => {
      const code = char.charCodeAt(0);
      return char !== "\n" && (code < 0x20 || code === 0x7f);
    });
    expect(controls).toEqual([]);
  });

  it("Markdown: header lines are separate paragraphs or list items", () => {
    const lines = renderReport(built, "markdown").split("\n");
    const headerLines = lines.filter((line) =>
      /(candidate|baseline|window|unpaired|noise floor):/.test(line),
    );
    expect(headerLines.length).toBeGreaterThanOrEqual(5);
    for (const line of headerLines) {
      const index = lines.indexOf(line);
      const isListItem = line.startsWith("- ");
      const isParagraph = (lines[index - 1] ?? "") === "" && (lines[index + 1] ?? "") === "";
      expect(isListItem || isParagraph, line).toBe(true);
    }
  });

  it("Markdown: labels with |, < or a newline stay inside their table cell", () => {
    const lines = renderReport(built, "markdown").split("\n");
    const header = lines.find((line) => line.startsWith("| segment |")) ?? "";
    const columns = header.split(/(?<!\\)\|/).length;
    const rows = lines.filter((line) => line.includes("alert(1)"));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.startsWith("| ")).toBe(true);
      expect(row.split(/(?<!\\)\|/).length, row).toBe(columns);
      expect(row).toContain("\\|&lt;script>");
      expect(row).not.toContain("<script");
    }
    expect(lines.some((line) => line.startsWith("next line"))).toBe(false);
    expect(lines.filter((line) => line.includes("xxx")).every((line) => line.startsWith("| "))).toBe(true);
  });

  it("Markdown keeps labels whole (the 120-column limit is the terminal's)", () => {
    expect(renderReport(built, "markdown")).toContain("x".repeat(300));
  });
});

it("number helper", () => {
  expect(number("×1.25")).toBe(1.25);
});

it("report text and HTML say when no record has a label asked for with --by", () => {
  const built = report(reportData({ byTenant: false }));
  const whole = {
    ...built,
    segments: { tenant: [{ ...built.overall, dimension: "tenant", value: "(none)" }] },
  };
  const note = "no record has the label 'tenant': all 600 pairs are in tenant=(none)";
  expect(renderReport(whole, "terminal")).toContain(note);
  expect(renderReport(whole, "markdown")).toContain(note);
  expect(renderHtml(whole, null, null)).toContain(note);
  expect(renderReport(built, "terminal")).not.toContain("no record has the label");
});
