import type { DriftReport, SidesAt } from "../analyze/report-types.js";
import { escapeMarkup } from "./escape-markup.js";
import { percent } from "./text-table.js";

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

export function distributions(report: DriftReport): string {
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
