import type { SufficientSegment } from "../analyze/report-types.js";
import { escapeMarkup } from "./escape-markup.js";
import { judgeLine } from "./judge-text.js";
import { times } from "./metric-rows.js";
import { percent, signedPoints } from "./text-table.js";

/** Scores, checks and per-tool rates of the HTML report (the tools whose share moved most first). */
export function outcomesHtml(segment: SufficientSegment): string {
  return `${scoresHtml(segment)}${toolsHtml(segment)}`;
}

function scoresHtml(segment: SufficientSegment): string {
  const entries = Object.entries(segment.scores);
  if (entries.length === 0) return "";
  const value = (x: number | null, binary: boolean) =>
    x === null ? "n/a" : binary ? percent(x) : x.toPrecision(4);
  const delta = (x: number | null, binary: boolean) =>
    x === null ? "n/a" : binary ? signedPoints(x) : `${x >= 0 ? "+" : ""}${x.toPrecision(3)}`;
  const rows = entries.map(
    ([name, score]) =>
      `<tr><td class="label">${escapeMarkup(name)}</td><td>${score.source}</td><td class="n">${score.pairs}</td><td class="n">${value(score.baseline.mean, score.binary)} → ${value(score.candidate.mean, score.binary)}</td><td class="n">${delta(score.delta.value, score.binary)} (${delta(score.delta.low, score.binary)} – ${delta(score.delta.high, score.binary)})</td><td class="n">${score.binary ? `+${score.gained ?? 0} / −${score.lost ?? 0}` : ""}</td></tr>`,
  );
  return `<h2>Scores and checks</h2><table id="scores"><tr><th>score (score_delta)</th><th>source</th><th class="n">pairs</th><th class="n">baseline → candidate</th><th class="n">Δ (95%)</th><th class="n">gained / lost</th></tr>${rows.join("")}</table>${judgeHtml(segment)}`;
}

/** The judge's verdicts and noise, and judged examples with the judge's reason. */
function judgeHtml(segment: SufficientSegment): string {
  const judge = segment.scores.judge?.judge;
  if (judge === undefined) return "";
  const examples = (judge.examples ?? []).map(
    (example) =>
      `<tr><td class="label">${escapeMarkup(example.request_id)}</td><td>${example.verdict}${example.inconsistent ? " (inconsistent)" : ""}</td><td>${escapeMarkup(example.reason)}</td></tr>`,
  );
  return `<p id="judge">${escapeMarkup(judgeLine(judge))}</p>${examples.length === 0 ? "" : `<table id="judged-examples"><tr><th>request</th><th>verdict</th><th>the judge's reason</th></tr>${examples.join("")}</table>`}`;
}

function toolsHtml(segment: SufficientSegment): string {
  const entries = Object.entries(segment.tools).sort(
    ([a, x], [b, y]) => Math.abs(y.share.delta) - Math.abs(x.share.delta) || (a < b ? -1 : 1),
  );
  if (entries.length === 0) return "";
  const rows = entries.map(
    ([name, tool]) =>
      `<tr><td class="label">${escapeMarkup(name)}</td><td class="n">${percent(tool.share.baseline.rate)} → ${percent(tool.share.candidate.rate)}</td><td class="n">${signedPoints(tool.share.delta)} (${signedPoints(tool.share.low)} – ${signedPoints(tool.share.high)})</td><td class="n">${tool.calls.baseline_mean.toFixed(2)} → ${tool.calls.candidate_mean.toFixed(2)}</td><td class="n">${callsRatio(tool.calls)}</td><td class="n">${percent(tool.failures.baseline.rate)} → ${percent(tool.failures.candidate.rate)}</td></tr>`,
  );
  return `<h2>Tools</h2><table id="tools"><tr><th>tool</th><th class="n">share of tasks</th><th class="n">Δ share (tool_share_delta, 95%)</th><th class="n">calls per task</th><th class="n">× (tool_calls_ratio, 95%)</th><th class="n">failed calls</th></tr>${rows.join("")}</table>`;
}

/** Calls per task, candidate / baseline, with its Fieller interval when there is one. */
function callsRatio(calls: SufficientSegment["tools"][string]["calls"]): string {
  if (calls.low === null || calls.high === null) return times(calls.ratio);
  return `${times(calls.ratio)} (${times(calls.low)} – ${times(calls.high)})`;
}
