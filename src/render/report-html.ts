import type {
  DriftReport,
  ExampleRow,
  ExampleStep,
  NetDrift,
  SegmentReport,
  SidesAt,
} from "../analyze/report-types.js";
import { PAIR_CATEGORIES } from "../contracts/categories.js";
import { escapeMarkup, type GateVerdict } from "../gate/verdict.js";
import type { ReleaseDiff } from "../release/release-diff.js";
import { outcomesHtml } from "./outcome-html.js";
import { renderReleaseDiff } from "./release-diff.js";
import { percent, signedPoints } from "./text-table.js";

/**
 * The drift report as one self-contained HTML file: inline CSS and SVG, no script, no network.
 * Verdict banner first (failing guardrails on top), then the metrics with their intervals, drift
 * by category and by segment, latency and cost CDFs, and example divergent pairs.
 */
export function renderHtml(
  report: DriftReport,
  verdict: GateVerdict | null,
  releaseDiff: ReleaseDiff | null,
): string {
  const overall = report.overall;
  const title = `${report.candidate.name ?? report.candidate.id}@${report.candidate.version ?? "?"} vs ${report.baseline.name ?? report.baseline.id}@${report.baseline.version ?? "?"}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shadowdiff: ${escapeMarkup(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1b1f24}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e6ea;padding:4px 8px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.banner{padding:12px 16px;border-radius:6px;font-weight:600}
.promote{background:#e6f6ea;color:#14532d}.hold{background:#fff6db;color:#713f12}.fail{background:#fde8e8;color:#7f1d1d}
.bar{height:10px;background:#3b82f6;display:inline-block}
code{font-size:12px}
.steps td{vertical-align:top}.steps .op{font-family:monospace;width:1em}
tr.changed td{background:#fff3cd}tr.removed td{background:#fde8e8}tr.added td{background:#e6f6ea}
.example{margin:12px 0 20px}.example h3{font-size:14px;margin:0}
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
<table><tr><th>path</th><th>pairs</th><th>rate</th><th>A/A rate</th><th></th></tr>
${report.paths.map((path) => `<tr><td><code>${escapeMarkup(path.path)}</code></td><td class="n">${path.count}</td><td class="n">${percent(path.rate)}</td><td class="n">${path.aa_rate === null ? "–" : percent(path.aa_rate)}</td><td>${path.noise ? "noise" : ""}</td></tr>`).join("\n")}
</table>
<h2>Example divergent pairs</h2>
${PAIR_CATEGORIES.filter((category) => category !== "identical" && category !== "text_only")
  .flatMap((category) => (report.examples[category] ?? []).map((example) => exampleBlock(category, example)))
  .join("\n")}
<table><tr><th>category</th><th>request</th><th>reason</th></tr>
${PAIR_CATEGORIES.flatMap((category) => (report.examples[category] ?? []).map((example) => `<tr><td>${category}</td><td><code>${escapeMarkup(example.request_id)}</code></td><td>${escapeMarkup(example.reason)}</td></tr>`)).join("\n")}
</table>
</body></html>
`;
}

/**
 * One divergent pair with both step lists aligned side by side, row by row as the diff aligned
 * them: `=` same call, `~` same tool with other arguments (highlighted), `-` baseline only,
 * `+` candidate only. Steps are shown in the canonical order the alignment refers to.
 */
function exampleBlock(category: string, example: ExampleRow): string {
  const baseline = canonicalOrder(example.baseline_steps);
  const candidate = canonicalOrder(example.candidate_steps);
  let i = 0;
  let j = 0;
  const rows: string[] = [];
  for (const op of example.alignment) {
    const left = op === "+" ? undefined : baseline[i++];
    const right = op === "-" ? undefined : candidate[j++];
    const cls = op === "=" ? "same" : op === "~" ? "changed" : op === "-" ? "removed" : "added";
    rows.push(
      `<tr class="${cls}"><td class="op">${op}</td><td>${stepCell(left)}</td><td>${stepCell(right)}</td></tr>`,
    );
  }
  return `<div class="example" data-request="${escapeMarkup(example.request_id)}"><h3>${category} · <code>${escapeMarkup(example.request_id)}</code></h3>
<p>${escapeMarkup(example.reason)}</p>
<table class="steps"><tr><th></th><th>baseline</th><th>candidate</th></tr>${rows.join("")}</table></div>`;
}

function stepCell(step: ExampleStep | undefined): string {
  return step === undefined
    ? ""
    : `turn ${step.turn} · <b>${escapeMarkup(step.name)}</b> <code>${escapeMarkup(JSON.stringify(step.args))}</code>`;
}

/** Within a turn, calls sorted by name then arguments: the order the alignment ops refer to. */
function canonicalOrder(steps: readonly ExampleStep[]): ExampleStep[] {
  return [...steps].sort((a, b) => {
    if (a.turn !== b.turn) return a.turn - b.turn;
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    const x = JSON.stringify(a.args);
    const y = JSON.stringify(b.args);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function banner(verdict: GateVerdict): string {
  const failing = verdict.guardrails.filter((guardrail) => guardrail.status !== "pass");
  failing.sort((a, b) => (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1));
  return `<div class="banner ${verdict.verdict}" id="verdict">verdict: ${verdict.verdict}</div>
<ul>${failing.map((guardrail) => `<li><b>${guardrail.status}</b> ${escapeMarkup(guardrail.reason)}</li>`).join("")}</ul>`;
}

function metrics(segment: Extract<SegmentReport, { sufficient: true }>): string {
  const row = (name: string, value: string, interval: string) =>
    `<tr><td>${name}</td><td class="n">${value}</td><td class="n">${interval}</td></tr>`;
  return `<h2>Metrics</h2><table><tr><th>metric</th><th>baseline → candidate</th><th>95% interval</th></tr>
${row("net drift (vs A/A)", `<span id="drift-rate">${netDrift(segment.drift)}</span>`, netDriftInterval(segment.drift))}
${row("refusal rate", `${percent(segment.refusal.baseline.rate)} → ${percent(segment.refusal.candidate.rate)}`, `${percent(segment.refusal.candidate.low)} – ${percent(segment.refusal.candidate.high)}`)}
${row("error rate", `${percent(segment.errors.baseline.rate)} → ${percent(segment.errors.candidate.rate)}`, `${percent(segment.errors.candidate.low)} – ${percent(segment.errors.candidate.high)}`)}
${row("tool-call validity", `${percent(segment.tool_calls.baseline.validity.rate)} → ${percent(segment.tool_calls.candidate.validity.rate)}`, "")}
${row("cost per task (Σ ratio)", segment.cost.priced ? `×${(segment.cost.ratio ?? 0).toFixed(2)}` : "unpriced", segment.cost.priced && segment.cost.ratio_low !== null ? `×${segment.cost.ratio_low.toFixed(2)} – ×${(segment.cost.ratio_high ?? 0).toFixed(2)}` : "")}
${row("latency p95", `${segment.latency.baseline.p95.toFixed(0)} → ${segment.latency.candidate.p95.toFixed(0)} ms${segment.latency.p95_ratio === null ? "" : ` (×${segment.latency.p95_ratio.toFixed(2)})`}`, segment.latency.p95_ratio_low === null ? "" : `×${segment.latency.p95_ratio_low.toFixed(2)} – ${segment.latency.p95_ratio_high === null ? "∞" : `×${segment.latency.p95_ratio_high.toFixed(2)}`}`)}
</table>`;
}

function netDrift(drift: NetDrift): string {
  return drift.estimate === null ? "n/a (no A/A)" : signedPoints(drift.estimate);
}

function netDriftInterval(drift: NetDrift): string {
  return drift.low === null || drift.high === null
    ? ""
    : `${signedPoints(drift.low)} – ${signedPoints(drift.high)}`;
}

function categories(segment: Extract<SegmentReport, { sufficient: true }>): string {
  return `<h2>Pairs by category</h2><table>${PAIR_CATEGORIES.map((category) => {
    const share = segment.categories[category] / segment.pairs;
    return `<tr><td>${category}</td><td class="n">${segment.categories[category]}</td><td><span class="bar" style="width:${(share * 300).toFixed(1)}px"></span> ${percent(share)}</td></tr>`;
  }).join("")}</table>`;
}

function segmentTable(dimension: string, segments: readonly SegmentReport[]): string {
  return `<h2>Drift by ${escapeMarkup(dimension)}</h2><table><tr><th>${escapeMarkup(dimension)}</th><th>pairs</th><th>drift</th><th>95% interval</th></tr>${segments
    .map((segment) =>
      segment.sufficient
        ? `<tr><td>${escapeMarkup(segment.value)}</td><td class="n">${segment.pairs}</td><td class="n">${netDrift(segment.drift)}</td><td class="n">${netDriftInterval(segment.drift)}</td></tr>`
        : `<tr><td>${escapeMarkup(segment.value)}</td><td class="n">${segment.pairs}</td><td colspan="2">${escapeMarkup(segment.note)}</td></tr>`,
    )
    .join("")}</table>`;
}

/**
 * Both sides' cumulative distributions as polylines in inline SVG. The x axis ends a little past
 * the larger 99% quantile, so one slow outlier does not squash the curves; the tail beyond is
 * drawn against the right edge.
 */
function cdfChart(
  title: string,
  id: string,
  levels: readonly number[],
  sides: SidesAt,
  unit: string,
): string {
  const tail = levels.indexOf(0.99);
  const reach = Math.max(sides.baseline[tail] ?? 0, sides.candidate[tail] ?? 0) * 1.1 || 1;
  const x = (value: number) => (50 + (Math.min(value, reach) / reach) * 500).toFixed(1);
  const y = (level: number) => (180 - level * 160).toFixed(1);
  const line = (values: readonly number[]) =>
    values.map((value, index) => `${x(value)},${y(levels[index] ?? 0)}`).join(" ");
  const label = (value: number) => (unit === "USD" ? `$${value.toPrecision(3)}` : `${value.toFixed(0)} ms`);
  return `<h3>${escapeMarkup(title)}</h3>
<svg width="600" height="210" role="img" aria-label="${id}"><line x1="50" y1="180" x2="560" y2="180" stroke="#999"/><line x1="50" y1="20" x2="50" y2="180" stroke="#999"/>
<text x="8" y="24" font-size="11">100%</text><text x="14" y="104" font-size="11">50%</text><text x="22" y="184" font-size="11">0</text>
<polyline points="${line(sides.baseline)}" fill="none" stroke="#64748b" stroke-width="2"/><polyline points="${line(sides.candidate)}" fill="none" stroke="#dc2626" stroke-width="2"/>
<text x="440" y="140" font-size="12" fill="#64748b">baseline</text><text x="440" y="156" font-size="12" fill="#dc2626">candidate</text><text x="50" y="198" font-size="11">0</text><text x="500" y="198" font-size="11">${escapeMarkup(label(reach))}</text></svg>`;
}

function distributions(report: DriftReport): string {
  const distribution = report.distribution;
  if (distribution === null) return "";
  const { levels, latency, cost } = distribution;
  const note = (sample: number, band: number) =>
    `empirical CDFs of a uniform sample of ${sample} pairs (smallest key hashes); with ${Math.round(report.settings.confidence * 100)}% confidence each true curve is within ±${percent(band)} of the one drawn (DKW)`;
  return `<h2>Latency and cost distributions</h2>
<div id="distributions">
${cdfChart("Latency (CDF)", "latency cdf", levels, latency, "ms")}
<p class="note">${escapeMarkup(note(distribution.sample, distribution.band))}</p>
${
  cost === null
    ? "<p>Cost: no priced pairs.</p>"
    : `${cdfChart("Cost per task (CDF)", "cost cdf", levels, cost, "USD")}
<p class="note">${escapeMarkup(note(cost.sample, cost.band))}</p>`
}
</div>`;
}
