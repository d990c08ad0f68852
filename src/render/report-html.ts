import type { DriftReport, PairedFlip, SegmentReport, SufficientSegment } from "../analyze/report-types.js";
import { PAIR_CATEGORIES } from "../contracts/categories.js";
import { labelledReason } from "../gate/check-name.js";
import type { GateVerdict } from "../gate/verdict.js";
import type { ReleaseDiff } from "../release/release-diff.js";
import { distributions } from "./chart-html.js";
import { escapeMarkup } from "./escape-markup.js";
import { exampleBlock } from "./example-html.js";
import { METRIC_HEADER, metricNotes, metricRows, times } from "./metric-rows.js";
import { outcomesHtml } from "./outcome-html.js";
import { renderReleaseDiff } from "./release-diff.js";
import { missingLabel } from "./report-text.js";
import { percent, signedPoints } from "./text-table.js";

/**
 * The drift report as one self-contained HTML file: inline CSS and SVG, no script, no network.
 * Verdict banner first (failing guardrails on top), then the metrics with their intervals, drift
 * by category and by segment, latency and cost CDFs, and example divergent pairs. It reads at
 * 800 px without scrolling sideways: long values wrap.
 */
export function renderHtml(
  report: DriftReport,
  verdict: GateVerdict | null,
  releaseDiff: ReleaseDiff | null,
): string {
  const overall = report.overall;
  const title = `${report.candidate.name ?? report.candidate.id}@${report.candidate.version ?? "?"} vs ${report.baseline.name ?? report.baseline.id}@${report.baseline.version ?? "?"}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>shadowdiff: ${escapeMarkup(title)}</title>
<style>
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;padding:0 16px;max-width:1100px;color:#1b1f24;overflow-wrap:break-word}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e6ea;padding:4px 8px;text-align:left;vertical-align:top}
td.label,.answers td{overflow-wrap:anywhere}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}#metrics td.n{white-space:nowrap}
.banner{padding:12px 16px;border-radius:6px;font-weight:600}
.promote{background:#e6f6ea;color:#14532d}.hold{background:#fff6db;color:#713f12}.fail{background:#fde8e8;color:#7f1d1d}
.warning{background:#fff6db;padding:6px 10px;border-radius:4px}
.bar{height:10px;background:#3b82f6;display:inline-block}
code{font-size:12px;overflow-wrap:anywhere}pre{white-space:pre-wrap;overflow-wrap:anywhere}svg{max-width:100%;height:auto}
.steps td{width:48%}.steps td.op{width:2em;font-family:monospace}.answers td{white-space:pre-wrap}
tr.changed td{background:#fff3cd}tr.removed td{background:#fde8e8}tr.added td{background:#e6f6ea}
.example{margin:12px 0 20px}.example h3{font-size:14px;margin:0}.none{color:#57606a}
.note{color:#57606a;font-size:12px;margin-top:0}
</style></head><body>
<h1>shadowdiff drift report: ${escapeMarkup(title)}</h1>
<p>window ${escapeMarkup(report.window.first ?? "?")} – ${escapeMarkup(report.window.last ?? "?")} · ${overall.pairs} pairs · unpaired ${report.unpaired.baseline} baseline / ${report.unpaired.candidate} candidate · ${report.noise ? `A/A noise floor over ${report.noise.aa_pairs} pairs` : "no A/A noise floor"}</p>
${verdict === null ? "" : banner(verdict)}
${overall.sufficient ? metrics(overall) : `<p>${escapeMarkup(overall.note)}</p>`}
${overall.sufficient ? categories(overall) : ""}
${overall.sufficient ? outcomesHtml(overall) : ""}
${Object.entries(report.segments)
  .map(([dimension, segments]) => segmentTable(dimension, segments))
  .join("\n")}
${distributions(report)}
${releaseDiff === null ? "" : `<h2>What changed in the release</h2><pre id="release-diff">${escapeMarkup(renderReleaseDiff(releaseDiff))}</pre>`}
<h2>Top differing paths</h2>
<table><tr><th>path</th><th class="n">pairs</th><th class="n">rate</th><th class="n">A/A rate</th><th></th></tr>
${report.paths.map((path) => `<tr><td><code>${escapeMarkup(path.path)}</code></td><td class="n">${path.count}</td><td class="n">${percent(path.rate)}</td><td class="n">${path.aa_rate === null ? "–" : percent(path.aa_rate)}</td><td>${path.noise ? "noise" : ""}</td></tr>`).join("\n")}
</table>
<h2>Example divergent pairs</h2>
${PAIR_CATEGORIES.filter((category) => category !== "identical" && category !== "text_only")
  .flatMap((category) => (report.examples[category] ?? []).map((example) => exampleBlock(category, example)))
  .join("\n")}
<table><tr><th>category</th><th>request</th><th>reason</th></tr>
${PAIR_CATEGORIES.flatMap((category) => (report.examples[category] ?? []).map((example) => `<tr><td>${category}</td><td><code>${escapeMarkup(example.request_id)}</code></td><td class="label">${escapeMarkup(example.reason)}</td></tr>`)).join("\n")}
</table>
</body></html>
`;
}

/**
 * The verdict, then every guardrail that did not pass, failing first: each line names its
 * guardrail and segment (a segment's limit differs from the overall one), then says why.
 */
function banner(verdict: GateVerdict): string {
  const failing = verdict.guardrails.filter((guardrail) => guardrail.status !== "pass");
  failing.sort((a, b) => (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1));
  const warnings = (verdict.warnings ?? []).map(
    (warning) => `<p class="warning">${escapeMarkup(warning)}</p>`,
  );
  return `<div class="banner ${verdict.verdict}" id="verdict">verdict: ${verdict.verdict}</div>
${warnings.join("")}<ul>${failing.map((guardrail) => `<li><b>${guardrail.status}</b> ${escapeMarkup(labelledReason(guardrail))}</li>`).join("")}</ul>`;
}

/** Which metric columns hold numbers (right-aligned, header too). */
const NUMERIC_METRIC_COLUMNS = new Set(["baseline → candidate", "estimate", "95% interval"]);

function metrics(segment: SufficientSegment): string {
  const cell = (column: string, text: string, id?: string) => {
    const numeric = NUMERIC_METRIC_COLUMNS.has(column) ? ' class="n"' : "";
    const content = id === undefined ? escapeMarkup(text) : `<span id="${id}">${escapeMarkup(text)}</span>`;
    return `<td${numeric}>${content}</td>`;
  };
  const rows = metricRows(segment).map(
    (row) =>
      `<tr>${cell("metric", row.metric)}${cell("guardrail", row.guardrail === "" ? "" : row.guardrail)}${cell("baseline → candidate", row.sides)}${cell("estimate", row.estimate, row.id)}${cell("95% interval", row.interval)}${cell("test", row.test)}</tr>`,
  );
  const header = METRIC_HEADER.map(
    (column) => `<th${NUMERIC_METRIC_COLUMNS.has(column) ? ' class="n"' : ""}>${escapeMarkup(column)}</th>`,
  ).join("");
  const notes = metricNotes(segment).map((note) => `<li>${escapeMarkup(note)}</li>`);
  return `<h2>Metrics</h2><table id="metrics"><tr>${header}</tr>
${rows.join("\n")}
</table><ul class="note">${notes.join("")}</ul>`;
}

function categories(segment: SufficientSegment): string {
  return `<h2>Pairs by category</h2><table><tr><th>category</th><th class="n">pairs</th><th>share</th></tr>${PAIR_CATEGORIES.map(
    (category) => {
      const share = segment.categories[category] / segment.pairs;
      return `<tr><td>${category}</td><td class="n">${segment.categories[category]}</td><td><span class="bar" style="width:${(share * 300).toFixed(1)}px"></span> ${percent(share)}</td></tr>`;
    },
  ).join("")}</table>`;
}

function segmentTable(dimension: string, segments: readonly SegmentReport[]): string {
  const missing = missingLabel(dimension, segments);
  const flip = (value: PairedFlip) => signedPoints(value.difference.estimate);
  const header = [
    "net drift",
    "95% interval",
    "refusal Δ",
    "errors Δ",
    "all tool calls ok Δ",
    "cost ×",
    "p95 ×",
  ]
    .map((title) => `<th class="n">${title}</th>`)
    .join("");
  return `<h2>Drift by ${escapeMarkup(dimension)}</h2><table><tr><th>${escapeMarkup(dimension)}</th><th class="n">pairs</th>${header}</tr>${segments
    .map((segment) => {
      const start = `<tr><td class="label">${escapeMarkup(segment.value)}</td><td class="n">${segment.pairs}</td>`;
      if (!segment.sufficient) return `${start}<td colspan="7">${escapeMarkup(segment.note)}</td></tr>`;
      const drift = segment.drift;
      const cells = [
        drift.estimate === null ? "n/a (no A/A)" : signedPoints(drift.estimate),
        drift.low === null || drift.high === null
          ? ""
          : `${signedPoints(drift.low)} – ${signedPoints(drift.high)}`,
        flip(segment.refusal),
        flip(segment.errors),
        flip(segment.tool_calls.all_ok),
        segment.cost.priced ? times(segment.cost.ratio) : "unpriced",
        times(segment.latency.p95_ratio),
      ];
      return `${start}${cells.map((text) => `<td class="n">${text}</td>`).join("")}</tr>`;
    })
    .join("")}</table>${missing === null ? "" : `<p class="warning">${escapeMarkup(missing[0])}</p>`}`;
}
