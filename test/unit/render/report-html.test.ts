import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../../src/analyze/report-types.js";
import { GUARDRAILS } from "../../../src/gate/policy.js";
import type { GuardrailResult } from "../../../src/gate/results.js";
import type { GateVerdict } from "../../../src/gate/verdict.js";
import { renderHtml } from "../../../src/render/report-html.js";
import { BASELINE, CANDIDATE, example, report, reportData } from "./report-data.js";

/** Tables of an HTML page as rows of cells, each cell with its tag, class and text. */
function tables(html: string) {
  return [...html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)].map((table) =>
    [...(table[1] ?? "").matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...(row[1] ?? "").matchAll(/<(t[hd])((?:\s[^>]*)?)>([\s\S]*?)<\/t[hd]>/g)].map((cell) => ({
        tag: cell[1],
        numeric: /class="[^"]*\bn\b/.test(cell[2] ?? ""),
        text: (cell[3] ?? "").replace(/<[^>]+>/g, "").trim(),
      })),
    ),
  );
}

function result(overrides: Partial<GuardrailResult>): GuardrailResult {
  return {
    guardrail: "drift_rate",
    target: null,
    action: "fail",
    segment: null,
    status: "inconclusive",
    observed: null,
    interval: null,
    limit: { max: 0.05 },
    reason: "too few pairs to tell (43 < 200)",
    fail_alpha: null,
    detectable: null,
    required_pairs: null,
    ...overrides,
  };
}

function verdictOf(guardrails: GuardrailResult[], built: DriftReport): GateVerdict {
  return {
    schema: "shadowdiff.verdict/v1",
    verdict: "fail",
    candidate: built.candidate,
    baseline: built.baseline,
    policy: { source: "gate.yaml", sha256: "0".repeat(64) },
    window: built.window,
    pairs: built.overall.pairs,
    mode: "fixed",
    guardrails,
  };
}

describe("HTML report", () => {
  const built = report();

  it("the metrics table has a row per guardrail, each point inside the interval beside it", () => {
    const html = renderHtml(built, null, null);
    const metrics = tables(html).find((rows) => rows[0]?.[0]?.text === "metric") ?? [];
    const text = metrics.map((row) => row.map((cell) => cell.text).join(" | "));
    for (const guardrail of GUARDRAILS) expect(text.join("\n")).toContain(guardrail);
    expect(text.join("\n")).toContain("pairs with all tool calls ok");
    for (const line of text) {
      const interval = /×(\d+\.\d+) – ×(\d+\.\d+)/.exec(line);
      if (interval === null) continue;
      for (const match of line.replace(interval[0], "").matchAll(/×(\d+\.\d+)/g)) {
        expect(Number(match[1]), line).toBeGreaterThanOrEqual(Number(interval[1]) - 0.005);
        expect(Number(match[1]), line).toBeLessThanOrEqual(Number(interval[2]) + 0.005);
      }
    }
    expect(text.some((line) => line.includes("cost, typical request"))).toBe(true);
  });

  it("column headers sit over their values: a numeric column's header is aligned like its cells", () => {
    const html = renderHtml(built, null, null);
    for (const rows of tables(html)) {
      const [header, ...body] = rows;
      if (header === undefined || header.some((cell) => cell.tag !== "th") || body.length === 0) continue;
      header.forEach((cell, column) => {
        const cells = body.map((row) => row[column]).filter((value) => value !== undefined);
        if (cells.length > 0 && cells.every((value) => value?.numeric)) {
          expect(cell.numeric, `header '${cell.text}'`).toBe(true);
        }
      });
    }
  });

  it("says tool-call validity was not checked when a release has no manifest", () => {
    const unchecked = report({ ...reportData(), manifests: { baseline: false, candidate: true } });
    const html = renderHtml(unchecked, null, null);
    expect(html).toContain("not checked (no manifest for release support-agent@1.0.0");
  });

  it("the verdict banner names the guardrail and the segment of every line", () => {
    const guardrails = [
      ...GUARDRAILS.map((guardrail) => result({ guardrail })),
      result({
        guardrail: "drift_rate",
        segment: "tenant=acme",
        status: "fail",
        limit: { max: 0.08 },
        reason: "0.12 [0.09, 0.15] is past its limit (max 0.08)",
      }),
      result({
        guardrail: "score_delta",
        target: "task_success",
        segment: "tenant=globex",
        reason: "no pairs where both sides have 'task_success'",
      }),
    ];
    const html = renderHtml(built, verdictOf(guardrails, built), null);
    const bannerHtml = html.slice(
      html.indexOf('id="verdict"'),
      html.indexOf("</ul>", html.indexOf('id="verdict"')),
    );
    const items = [...bannerHtml.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((match) =>
      (match[1] ?? "")
        .replace(/<[^>]+>/g, "")
        .replaceAll("&lt;", "<")
        .replaceAll("&gt;", ">")
        .replaceAll("&quot;", '"')
        .replaceAll("&amp;", "&"),
    );
    expect(items).toHaveLength(guardrails.length);
    for (const [index, guardrail] of guardrails.entries()) {
      const item = items.find(
        (text) => text.includes(guardrail.reason) && text.includes(guardrail.guardrail),
      );
      expect(item, `${index}: ${guardrail.reason}`).toBeDefined();
      if (guardrail.segment) expect(item).toContain(guardrail.segment);
    }
    expect(items.find((text) => text.includes("(max 0.08)"))).toContain("tenant=acme");
    expect(
      items.some((text) => text.includes("score_delta(task_success)") && text.includes("tenant=globex")),
    ).toBe(true);
  });

  it("a candidate_error example shows both answers and the error; a refusal_flip shows both answers", () => {
    const withExamples: DriftReport = {
      ...built,
      candidate: CANDIDATE,
      baseline: BASELINE,
      examples: {
        candidate_error: [example()],
        refusal_flip: [
          example({
            request_id: "req-2",
            reason: "candidate refused, baseline answered",
            baseline_answer: { output: "Order 1234 ships on Monday.", refusal: false, error: null },
            candidate_answer: { output: "I can't help with that request.", refusal: true, error: null },
          }),
        ],
      },
    };
    const html = renderHtml(withExamples, null, null);
    const block = (id: string) =>
      /<div class="example"[^>]*>[\s\S]*?<\/div>/.exec(
        html.slice(html.indexOf(`data-request="${id}"`) - 40),
      )?.[0] ?? "";
    const failed = block("req-1");
    expect(failed).toContain("Your refund of 42 EUR is on its way.");
    expect(failed).toContain("timeout");
    expect(failed).toContain("provider did not answer within 30000 ms");
    const refused = block("req-2");
    expect(refused).toContain("Order 1234 ships on Monday.");
    expect(refused).toContain("I can&#39;t help with that request.".replace("&#39;", "'"));
    expect(refused).toMatch(/refus/);
  });
});
