import type { DriftReport, PairedBinary, PairedRatio, SegmentReport } from "../analyze/report-types.js";
import { PAIR_CATEGORIES } from "../contracts/categories.js";
import { percent, signedPoints, textTable } from "./text-table.js";

/**
 * The drift report as text: `terminal` (aligned columns) or `markdown` (GitHub tables). Both are
 * rendered from the JSON report, so they can never disagree with it.
 */
export function renderReport(report: DriftReport, format: "terminal" | "markdown"): string {
  const table = format === "markdown" ? markdownTable : textTable;
  const heading = (text: string) => (format === "markdown" ? `### ${text}` : `== ${text}`);
  const out: string[] = [];
  const name = (ref: DriftReport["candidate"]) =>
    ref.name ? `${ref.name}@${ref.version ?? "?"} (${ref.model ?? "?"}, ${ref.id.slice(0, 19)}…)` : ref.id;
  out.push(
    format === "markdown" ? `## shadowdiff drift report` : "shadowdiff drift report",
    "",
    `candidate: ${name(report.candidate)}`,
    `baseline:  ${name(report.baseline)}`,
    `window:    ${report.window.first ?? "?"} .. ${report.window.last ?? "?"}`,
    `unpaired:  ${report.unpaired.baseline} baseline, ${report.unpaired.candidate} candidate`,
    report.noise
      ? `noise floor: A/A over ${report.noise.aa_pairs} pairs, ${report.noise.noise_paths.length} noise path(s)${detectableLine(report)}`
      : "noise floor: none (no A/A pairs of the baseline in the store): drift cannot be told from noise",
    "",
  );

  out.push(heading("overall"), "", ...segmentLines(report.overall, table), "");

  for (const [dimension, segments] of Object.entries(report.segments)) {
    out.push(heading(`by ${dimension}`), "");
    const rows = segments.map((segment) => segmentRow(segment));
    out.push(
      table(
        [
          "segment",
          "pairs",
          "drift",
          "refusal Δ (p adj)",
          "errors Δ (p adj)",
          "tools ok Δ (p adj)",
          "cost ×",
          "p95 latency ×",
        ],
        rows,
      ),
      "",
    );
  }

  if (report.paths.length > 0) {
    out.push(heading("top differing paths"), "");
    out.push(
      table(
        ["path", "pairs", "rate", "A/A rate", "noise"],
        report.paths.map((path) => [
          path.path,
          String(path.count),
          percent(path.rate),
          path.aa_rate === null ? "-" : percent(path.aa_rate),
          path.noise ? "noise" : "",
        ]),
      ),
      "",
    );
  }
  const exampleRows = PAIR_CATEGORIES.flatMap((category) =>
    (report.examples[category] ?? []).map((example) => [
      category,
      example.replica > 0 ? `${example.request_id}#${example.replica}` : example.request_id,
      example.reason,
    ]),
  );
  if (exampleRows.length > 0) {
    out.push(heading("examples"), "", table(["category", "request", "reason"], exampleRows), "");
  }
  out.push(
    `Intervals are ${Math.round(report.settings.confidence * 100)}%: Clopper-Pearson for rates, Newcombe for paired deltas and net drift, ` +
      "Fieller for cost per task (ratio of sums), order statistics for p95, BCa bootstrap for per-request ratios; " +
      "p values: exact McNemar for flips, Wilcoxon signed-rank for ratios, Holm-adjusted across segments.",
  );
  return `${out.join("\n")}\n`;
}

type Table = (header: readonly string[], rows: readonly (readonly string[])[]) => string;

function segmentLines(segment: SegmentReport, table: Table): string[] {
  if (!segment.sufficient) return [`${segment.pairs} pairs: ${segment.note}`];
  const lines: string[] = [];
  const netted = segment.drift.net_of_noise;
  const categoryRows = PAIR_CATEGORIES.map((category) => [
    category,
    String(segment.categories[category]),
    percent(segment.categories[category] / segment.pairs),
    ...(netted ? [String(segment.categories_raw[category])] : []),
  ]);
  lines.push(
    table(
      ["category", netted ? "pairs (net of noise)" : "pairs", "share", ...(netted ? ["raw"] : [])],
      categoryRows,
    ),
    "",
  );
  if (segment.baseline_failed > 0) {
    lines.push(
      `baseline failed on ${segment.baseline_failed} pairs: reported apart, left out of drift, cost and latency`,
      "",
    );
  }
  const drift = segment.drift;
  const metric = (label: string, value: string, interval: string, test: string) => [
    label,
    value,
    interval,
    test,
  ];
  const rows = [
    drift.estimate === null
      ? metric(
          "net drift (vs A/A)",
          `${percent(drift.candidate.rate)} of ${drift.candidate.total} completed pairs differ`,
          "",
          drift.note ?? "",
        )
      : metric(
          "net drift (vs A/A)",
          `${signedPoints(drift.estimate)} (${percent(drift.candidate.rate)} − ${percent(drift.aa?.rate ?? 0)} A/A)`,
          `${signedPoints(drift.low ?? 0)} – ${signedPoints(drift.high ?? 0)}`,
          `${drift.method}, ${drift.noise_only} noise-only pairs`,
        ),
    binaryRow("refusal rate", segment.refusal),
    binaryRow("error rate", segment.errors),
    binaryRow("pairs with all tool calls ok", segment.tool_calls.all_ok),
    metric(
      "tool-call validity",
      `${percent(segment.tool_calls.baseline.validity.rate)} → ${percent(segment.tool_calls.candidate.validity.rate)}`,
      `${percent(segment.tool_calls.candidate.validity.low)} – ${percent(segment.tool_calls.candidate.validity.high)}`,
      `${segment.tool_calls.candidate.calls} candidate calls`,
    ),
    metric(
      "tool-call success",
      `${percent(segment.tool_calls.baseline.success.rate)} → ${percent(segment.tool_calls.candidate.success.rate)}`,
      `${percent(segment.tool_calls.candidate.success.low)} – ${percent(segment.tool_calls.candidate.success.high)}`,
      "",
    ),
    ratioRow("tokens per task", segment.tokens, (value) => value.toFixed(0)),
    segment.cost.priced
      ? metric(
          "cost per task (USD, Σ ratio)",
          `${segment.cost.baseline_mean.toFixed(5)} → ${segment.cost.candidate_mean.toFixed(5)} (×${ratio(segment.cost.ratio)})`,
          segment.cost.ratio_low === null || segment.cost.ratio_high === null
            ? "unbounded"
            : `×${ratio(segment.cost.ratio_low)} – ×${ratio(segment.cost.ratio_high)}`,
          `Fieller, n=${segment.cost.pairs}`,
        )
      : metric(
          "cost per task",
          `unpriced (${segment.cost.unpriced_models.join(" and ")} model has no price)`,
          "",
          "",
        ),
    metric(
      "latency p50 / p95 / p99 (ms)",
      `${quantiles(segment.latency.baseline)} → ${quantiles(segment.latency.candidate)}`,
      segment.latency.p95_ratio_low === null
        ? ""
        : `p95 ×${ratio(segment.latency.p95_ratio_low)} – ×${ratio(segment.latency.p95_ratio_high)}`,
      `p95 ×${ratio(segment.latency.p95_ratio)}`,
    ),
    ratioRow("latency per task (ms)", segment.latency.paired, (value) => value.toFixed(0)),
  ];
  lines.push(table(["metric", "baseline → candidate", "95% interval", "test"], rows));
  lines.push(...scoreLines(segment, table), ...toolLines(segment, table));
  return lines;
}

function scoreLines(segment: Extract<SegmentReport, { sufficient: true }>, table: Table): string[] {
  const entries = Object.entries(segment.scores);
  if (entries.length === 0) return [];
  const mean = (value: number | null, binary: boolean) =>
    value === null ? "n/a" : binary ? percent(value) : value.toPrecision(4);
  const delta = (value: number | null, binary: boolean) =>
    value === null ? "n/a" : binary ? signedPoints(value) : `${value >= 0 ? "+" : ""}${value.toPrecision(3)}`;
  const rows = entries.map(([name, score]) => [
    name,
    score.source,
    String(score.pairs),
    `${mean(score.baseline.mean, score.binary)} → ${mean(score.candidate.mean, score.binary)}`,
    `${delta(score.delta.value, score.binary)} (${delta(score.delta.low, score.binary)} – ${delta(score.delta.high, score.binary)})`,
    score.binary
      ? `+${score.gained ?? 0} / -${score.lost ?? 0}, p=${pValue(score.p_value ?? 1)}`
      : `p=${pValue(score.p_value ?? 1)}`,
  ]);
  return ["", table(["score", "source", "pairs", "baseline → candidate", "Δ (95%)", "test"], rows)];
}

/** The tools whose share of tasks moved most (up to 8). */
function toolLines(segment: Extract<SegmentReport, { sufficient: true }>, table: Table): string[] {
  const entries = Object.entries(segment.tools)
    .sort(([a, x], [b, y]) => Math.abs(y.share.delta) - Math.abs(x.share.delta) || (a < b ? -1 : 1))
    .slice(0, 8);
  if (entries.length === 0) return [];
  const rows = entries.map(([name, tool]) => [
    name,
    `${percent(tool.share.baseline.rate)} → ${percent(tool.share.candidate.rate)}`,
    `${signedPoints(tool.share.delta)} (${signedPoints(tool.share.low)} – ${signedPoints(tool.share.high)})`,
    `${tool.calls.baseline_mean.toFixed(2)} → ${tool.calls.candidate_mean.toFixed(2)} (×${ratio(tool.calls.ratio)})`,
    `${percent(tool.failures.baseline.rate)} → ${percent(tool.failures.candidate.rate)}`,
  ]);
  return ["", table(["tool", "share of tasks", "Δ share (95%)", "calls per task", "failed calls"], rows)];
}

function detectableLine(report: DriftReport): string {
  const overall = report.overall;
  if (!overall.sufficient || overall.drift.detectable === null) return "";
  return ` (at these sizes a net drift of ${(overall.drift.detectable * 100).toFixed(1)} pt or more is revealed with 80% power)`;
}

function binaryRow(label: string, binary: PairedBinary): string[] {
  return [
    label,
    `${percent(binary.baseline.rate)} → ${percent(binary.candidate.rate)}`,
    `${percent(binary.candidate.low)} – ${percent(binary.candidate.high)}`,
    `+${binary.gained} / -${binary.lost}, p=${pValue(binary.p_value)}`,
  ];
}

function ratioRow(label: string, paired: PairedRatio, format: (value: number) => string): string[] {
  return [
    label,
    `${format(paired.baseline_mean)} → ${format(paired.candidate_mean)} (×${ratio(paired.ratio_of_means)})`,
    paired.ratio_low === null
      ? "too few pairs"
      : `×${ratio(paired.ratio_low)} – ×${ratio(paired.ratio_high)}`,
    paired.p_value === null ? "" : `p=${pValue(paired.p_value)} (n=${paired.sample})`,
  ];
}

function segmentRow(segment: SegmentReport): string[] {
  if (!segment.sufficient) return [segment.value, String(segment.pairs), segment.note, "", "", "", "", ""];
  const delta = (binary: PairedBinary) =>
    `${signedPoints(binary.candidate.rate - binary.baseline.rate)} (${pValue(binary.p_adjusted)})`;
  return [
    segment.value,
    String(segment.pairs),
    segment.drift.estimate === null ? "n/a" : signedPoints(segment.drift.estimate),
    delta(segment.refusal),
    delta(segment.errors),
    delta(segment.tool_calls.all_ok),
    segment.cost.priced ? `×${ratio(segment.cost.ratio)}` : "unpriced",
    `×${ratio(segment.latency.p95_ratio)}`,
  ];
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escapeCell = (cell: string) => cell.replaceAll("|", "\\|");
  return [
    `| ${header.map(escapeCell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(" | ")} |`),
  ].join("\n");
}

const quantiles = (q: { p50: number; p95: number; p99: number }) =>
  `${q.p50.toFixed(0)} / ${q.p95.toFixed(0)} / ${q.p99.toFixed(0)}`;
const ratio = (value: number | null) => (value === null ? "n/a" : value.toFixed(2));
const pValue = (value: number) => (value < 0.001 ? "<0.001" : value.toFixed(3));
