import type { DriftReport, PairedFlip, SegmentReport, SufficientSegment } from "../analyze/report-types.js";
import { PAIR_CATEGORIES } from "../contracts/categories.js";
import { judgeLine } from "./judge-text.js";
import { markdownTable, markdownText } from "./markdown.js";
import { METRIC_HEADER, metricNotes, metricRows, pValue, times } from "./metric-rows.js";
import { percent, signedPoints, terminalText, textTable, truncate } from "./text-table.js";

/** A terminal is read at 120 columns; every table and line of the terminal report fits. */
export const TERMINAL_WIDTH = 120;

type Table = (header: readonly string[], rows: readonly (readonly string[])[]) => string;

/**
 * The drift report as text: `terminal` (aligned columns, 120 wide) or `markdown` (GitHub
 * tables, every label escaped). Both are rendered from the JSON report, so they can never
 * disagree with it.
 */
export function renderReport(report: DriftReport, format: "terminal" | "markdown"): string {
  const markdown = format === "markdown";
  const table: Table = markdown
    ? markdownTable
    : (header, rows) => textTable(header, rows, { maxWidth: TERMINAL_WIDTH });
  const heading = (text: string) => (markdown ? `### ${text}` : `== ${text}`);
  const out: string[] = [];
  const name = (ref: DriftReport["candidate"]) =>
    ref.name ? `${ref.name}@${ref.version ?? "?"} (${ref.model ?? "?"}, ${ref.id.slice(0, 19)}…)` : ref.id;
  const detectable = detectableLine(report);
  const facts = [
    `candidate: ${name(report.candidate)}`,
    `baseline:  ${name(report.baseline)}`,
    `window:    ${report.window.first ?? "?"} .. ${report.window.last ?? "?"}`,
    `unpaired:  ${report.unpaired.baseline} baseline, ${report.unpaired.candidate} candidate`,
    report.noise
      ? `noise floor: A/A over ${report.noise.aa_pairs} pairs, ${report.noise.noise_paths.length} noise path(s)`
      : "noise floor: none (no A/A pairs of the baseline in the store): drift cannot be told from noise",
    ...(detectable === null ? [] : [detectable]),
  ];
  // On GitHub, lines with no blank line between them run into one paragraph: a list keeps them apart.
  out.push(
    markdown ? "## shadowdiff drift report" : "shadowdiff drift report",
    "",
    ...(markdown ? facts.map((fact) => `- ${markdownText(fact.replace(/:\s+/, ": "))}`) : facts),
    "",
  );

  out.push(heading("overall"), "", ...segmentLines(report.overall, table, markdown), "");

  for (const [dimension, segments] of Object.entries(report.segments)) {
    out.push(heading(`by ${dimension}`), "");
    out.push(
      table(
        [
          "segment",
          "pairs",
          "net drift",
          "refusal Δ (p adj)",
          "errors Δ (p adj)",
          "all tool calls ok Δ (p adj)",
          "cost ×",
          "p95 ×",
        ],
        segments.map(segmentRow),
      ),
      "",
      ...(segments.some((segment) => !segment.sufficient)
        ? [
            `segments with fewer than ${report.settings.min_pairs} pairs are too few to tell (--min-pairs)`,
            "",
          ]
        : []),
      ...(missingLabel(dimension, segments) ?? []),
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
  const methods =
    `Intervals are ${Math.round(report.settings.confidence * 100)}%: Clopper-Pearson for rates, Newcombe for paired deltas and net drift, ` +
    "Fieller for cost per task (ratio of sums), order statistics for p95, BCa bootstrap for per-request (typical) ratios; " +
    "p values: exact McNemar for flips, Wilcoxon signed-rank for ratios, Holm-adjusted across segments.";
  out.push(...(markdown ? [methods] : wrap(methods, TERMINAL_WIDTH)));
  // Tables arrive as one entry of many lines; the other lines carry release names and notes.
  const lines = markdown
    ? out
    : out.flatMap((entry) => entry.split("\n")).map((line) => truncate(terminalText(line), TERMINAL_WIDTH));
  return `${lines.join("\n")}\n`;
}

function segmentLines(segment: SegmentReport, table: Table, markdown: boolean): string[] {
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
  const rows = metricRows(segment).map((row) => [
    row.metric,
    row.guardrail,
    row.sides,
    row.estimate,
    row.interval,
    row.test,
  ]);
  lines.push(table(METRIC_HEADER, rows), "");
  lines.push(
    ...metricNotes(segment).flatMap((note) =>
      markdown
        ? [`- ${markdownText(note)}`]
        : wrap(note, TERMINAL_WIDTH - 2).map((line, index) => (index === 0 ? line : `  ${line}`)),
    ),
  );
  lines.push(...scoreLines(segment, table, markdown), ...toolLines(segment, table));
  return lines;
}

function scoreLines(segment: SufficientSegment, table: Table, markdown: boolean): string[] {
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
      ? `+${score.gained ?? 0} / -${score.lost ?? 0}, p${pValue(score.p_value ?? 1)}`
      : `p${pValue(score.p_value ?? 1)}`,
  ]);
  const judge = segment.scores.judge?.judge;
  return [
    "",
    table(["score (score_delta)", "source", "pairs", "baseline → candidate", "Δ (95%)", "test"], rows),
    ...(judge === undefined
      ? []
      : markdown
        ? ["", markdownText(judgeLine(judge))]
        : [
            "",
            ...wrap(terminalText(judgeLine(judge)), TERMINAL_WIDTH - 2).map((line, index) =>
              index === 0 ? line : `  ${line}`,
            ),
          ]),
  ];
}

/** The tools whose share of tasks moved most (up to 8; all of them are in the JSON report). */
const TOOLS_SHOWN = 8;

function toolLines(segment: SufficientSegment, table: Table): string[] {
  const all = Object.entries(segment.tools).sort(
    ([a, x], [b, y]) => Math.abs(y.share.delta) - Math.abs(x.share.delta) || (a < b ? -1 : 1),
  );
  if (all.length === 0) return [];
  const rows = all
    .slice(0, TOOLS_SHOWN)
    .map(([name, tool]) => [
      name,
      `${percent(tool.share.baseline.rate)} → ${percent(tool.share.candidate.rate)}`,
      `${signedPoints(tool.share.delta)} (${signedPoints(tool.share.low)} – ${signedPoints(tool.share.high)})`,
      `${tool.calls.baseline_mean.toFixed(2)} → ${tool.calls.candidate_mean.toFixed(2)}`,
      tool.calls.low === null || tool.calls.high === null
        ? times(tool.calls.ratio)
        : `${times(tool.calls.ratio)} (${times(tool.calls.low)} – ${times(tool.calls.high)})`,
      `${percent(tool.failures.baseline.rate)} → ${percent(tool.failures.candidate.rate)}`,
    ]);
  const more = all.length - TOOLS_SHOWN;
  return [
    "",
    table(
      [
        "tool",
        "share of tasks",
        "Δ share (tool_share_delta)",
        "calls per task",
        "× (tool_calls_ratio)",
        "failed calls",
      ],
      rows,
    ),
    ...(more > 0 ? [`… and ${more} more tools (all of them in --format json)`] : []),
  ];
}

function detectableLine(report: DriftReport): string | null {
  const overall = report.overall;
  if (!overall.sufficient || overall.drift.detectable === null) return null;
  return `detectable:  at these sizes a net drift of ${(overall.drift.detectable * 100).toFixed(1)} pt or more is revealed with 80% power`;
}

function segmentRow(segment: SegmentReport): string[] {
  // The note ("too few pairs to tell (12 < 30)") spreads over the empty cells instead of widening one.
  if (!segment.sufficient)
    return [segment.value, String(segment.pairs), "too few", "pairs to tell", "", "", "", ""];
  const delta = (flip: PairedFlip) =>
    `${signedPoints(flip.difference.estimate)} (${pValue(flip.p_adjusted).replace(/^=/, "")})`;
  return [
    segment.value,
    String(segment.pairs),
    segment.drift.estimate === null ? "n/a" : signedPoints(segment.drift.estimate),
    delta(segment.refusal),
    delta(segment.errors),
    delta(segment.tool_calls.all_ok),
    segment.cost.priced ? times(segment.cost.ratio) : "unpriced",
    times(segment.latency.p95_ratio),
  ];
}

/** The note under a label's table when no record has it: its one segment is every pair. */
export function missingLabel(dimension: string, segments: readonly SegmentReport[]): [string, string] | null {
  const [only, ...others] = segments;
  if (only === undefined || others.length > 0 || only.value !== "(none)") return null;
  return [`no record has the label '${dimension}': all ${only.pairs} pairs are in ${dimension}=(none)`, ""];
}

/** Words to lines of at most `size` characters. */
function wrap(text: string, size: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > size) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return line === "" ? lines : [...lines, line];
}
