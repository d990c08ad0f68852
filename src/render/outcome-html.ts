import type { SufficientSegment } from "../analyze/report-types.js";
import { escapeMarkup } from "../gate/verdict.js";
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
      `<tr><td>${escapeMarkup(name)}</td><td>${score.source}</td><td class="n">${score.pairs}</td><td class="n">${value(score.baseline.mean, score.binary)} → ${value(score.candidate.mean, score.binary)}</td><td class="n">${delta(score.delta.value, score.binary)} (${delta(score.delta.low, score.binary)} – ${delta(score.delta.high, score.binary)})</td><td class="n">${score.binary ? `+${score.gained ?? 0} / −${score.lost ?? 0}` : ""}</td></tr>`,
  );
  return `<h2>Scores and checks</h2><table id="scores"><tr><th>score</th><th>source</th><th>pairs</th><th>baseline → candidate</th><th>Δ (95%)</th><th>gained / lost</th></tr>${rows.join("")}</table>`;
}

function toolsHtml(segment: SufficientSegment): string {
  const entries = Object.entries(segment.tools).sort(
    ([a, x], [b, y]) => Math.abs(y.share.delta) - Math.abs(x.share.delta) || (a < b ? -1 : 1),
  );
  if (entries.length === 0) return "";
  const rows = entries.map(
    ([name, tool]) =>
      `<tr><td>${escapeMarkup(name)}</td><td class="n">${percent(tool.share.baseline.rate)} → ${percent(tool.share.candidate.rate)}</td><td class="n">${signedPoints(tool.share.delta)} (${signedPoints(tool.share.low)} – ${signedPoints(tool.share.high)})</td><td class="n">${tool.calls.baseline_mean.toFixed(2)} → ${tool.calls.candidate_mean.toFixed(2)}</td><td class="n">${percent(tool.failures.baseline.rate)} → ${percent(tool.failures.candidate.rate)}</td></tr>`,
  );
  return `<h2>Tools</h2><table id="tools"><tr><th>tool</th><th>share of tasks</th><th>Δ share (95%)</th><th>calls per task</th><th>failed calls</th></tr>${rows.join("")}</table>`;
}
