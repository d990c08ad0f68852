import { PAIR_CATEGORIES } from "../diff/category.js";
import type { DiffCapturesResult } from "../pipeline/diff-captures.js";
import { percent, signedPoints, textTable } from "./text-table.js";

const TOP_PATHS = 12;

/** The terminal view of `shadowdiff diff`. */
export function renderDiffSummary(result: DiffCapturesResult): string {
  const out: string[] = [];
  const drifted = result.drift.pairs;
  const counts = result.drift.counts;
  out.push(
    `${result.pairs} pairs (${result.mode} mode) · drift pairs ${drifted} (${percent(result.drift.rate)})` +
      (result.noise
        ? ` net of A/A noise floor over ${result.noise.pairs} pairs · ${result.noise_only} noise-only`
        : " · no A/A noise floor"),
  );
  if (result.drift.net !== null) {
    out.push(
      `net drift ${signedPoints(result.drift.net)}: candidate differs on ${percent(counts.differing / counts.pairs)} of ${counts.pairs} requests, A/A on ${percent(counts.aaDiffering / counts.aaPairs)} of ${counts.aaPairs} (the report and the gate give its interval)`,
    );
  }
  out.push("");
  const netted = result.noise !== null;
  const rows = PAIR_CATEGORIES.map((category) => {
    const count = result.categories[category];
    return [
      category,
      String(count),
      percent(result.pairs === 0 ? 0 : count / result.pairs),
      ...(netted ? [String(result.categories_raw[category])] : []),
    ];
  });
  out.push(
    textTable(
      ["category", netted ? "pairs (net of noise)" : "pairs", "share", ...(netted ? ["raw"] : [])],
      rows,
    ),
  );

  if (result.paths.length > 0) {
    out.push("", "top differing paths");
    const pathRows = result.paths
      .slice(0, TOP_PATHS)
      .map((verdict) => [
        verdict.path,
        String(verdict.count),
        percent(verdict.rate),
        result.noise ? percent(verdict.aaRate) : "-",
      ]);
    out.push(textTable(["path", "pairs", "rate", "A/A rate"], pathRows));
  }
  if (result.noise_paths.length > 0) {
    out.push("", "noise paths (within the A/A floor, not counted as drift)");
    const noiseRows = result.noise_paths
      .slice(0, TOP_PATHS)
      .map((verdict) => [verdict.path, percent(verdict.rate), percent(verdict.aaRate)]);
    out.push(textTable(["path", "rate", "A/A rate"], noiseRows));
  }
  const exampleLines = PAIR_CATEGORIES.flatMap((category) =>
    (result.examples[category] ?? []).map(
      (example) => `  ${category.padEnd(20)} ${example.id}  ${example.reason}`,
    ),
  );
  if (exampleLines.length > 0) out.push("", "examples", ...exampleLines);

  const calls = result.tool_calls.candidate;
  if (calls.checked > 0)
    out.push(
      "",
      `candidate tool calls: ${calls.total}, schema-invalid ${calls.invalid}, failed ${calls.failed}`,
    );
  out.push(
    "",
    `unpaired: baseline ${result.unpaired.baseline}, candidate ${result.unpaired.candidate} · invalid lines: ${result.invalid}`,
  );
  for (const line of result.invalid_lines) out.push(`  ${line.message}`);
  if (result.invalid > result.invalid_lines.length)
    out.push(`  … and ${result.invalid - result.invalid_lines.length} more`);
  return out.join("\n");
}
