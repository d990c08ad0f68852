import type { ReleaseRef } from "../analyze/report-types.js";
import { checkLabel, labelledReason } from "../gate/check-name.js";
import type { GuardrailResult } from "../gate/results.js";
import type { GateVerdict } from "../gate/verdict.js";
import { escapeMarkup } from "./escape-markup.js";
import { markdownText } from "./markdown.js";

/** The gate verdict as JUnit XML, a Markdown PR comment and GitHub annotations: all from its JSON. */
export function renderJunit(verdict: GateVerdict): string {
  const cases = verdict.guardrails.map((result) => {
    const name = escapeMarkup(checkLabel(result));
    const body =
      result.status === "fail"
        ? `<failure message="${escapeMarkup(result.reason)}"/>`
        : result.status === "inconclusive" || result.status === "not_judged"
          ? `<skipped message="${escapeMarkup(result.reason)}"/>`
          : result.status === "warn"
            ? `<system-out>${escapeMarkup(`warn: ${result.reason}`)}</system-out>`
            : "";
    return `    <testcase classname="shadowdiff.gate" name="${name}">${body}</testcase>`;
  });
  const reason = verdict.consecutive?.reason;
  if (reason) {
    cases.push(
      `    <testcase classname="shadowdiff.gate" name="consecutive windows"><skipped message="${escapeMarkup(reason)}"/></testcase>`,
    );
  }
  const warnings = verdict.warnings ?? [];
  for (const warning of warnings) {
    cases.push(
      `    <testcase classname="shadowdiff.gate" name="warning"><skipped message="${escapeMarkup(warning)}"/></testcase>`,
    );
  }
  const failures = verdict.guardrails.filter((result) => result.status === "fail").length;
  const skipped =
    verdict.guardrails.filter((result) => result.status === "inconclusive" || result.status === "not_judged")
      .length +
    (reason ? 1 : 0) +
    warnings.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shadowdiff gate" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${escapeMarkup(`${verdict.candidate.name ?? verdict.candidate.id}@${verdict.candidate.version ?? "?"}: ${verdict.verdict}`)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

export function renderMarkdown(verdict: GateVerdict): string {
  const icon = { promote: "✅ promote", hold: "⏸️ hold", fail: "❌ fail" }[verdict.verdict];
  const ordered = [...verdict.guardrails].sort((a, b) => rank(a.status) - rank(b.status));
  const rows = ordered.map(
    (result) =>
      `| ${result.status}${result.action === "warn" && result.status !== "warn" ? " (warn only)" : ""} | ${markdownText(checkLabel(result))} | ${result.observed === null ? "–" : result.observed.toPrecision(4)} | ${result.interval ? `${bound(result.interval[0])} – ${bound(result.interval[1])}` : "–"} | ${"max" in result.limit ? `≤ ${result.limit.max}` : `≥ ${result.limit.min}`} | ${markdownText(result.reason)} |`,
  );
  const release = (ref: ReleaseRef) => markdownText(`${ref.name ?? ref.id}@${ref.version ?? "?"}`);
  return [
    `## shadowdiff gate: ${icon}`,
    "",
    `candidate **${release(verdict.candidate)}** (${markdownText(verdict.candidate.model ?? "?")}) vs baseline ${release(verdict.baseline)}, ${verdict.pairs} pairs, policy \`${verdict.policy.source}\``,
    "",
    ...(verdict.warnings ?? []).map((warning) => `- ⚠️ ${markdownText(warning)}`),
    ...((verdict.warnings ?? []).length > 0 ? [""] : []),
    "| status | guardrail | observed | 95% interval | limit | reason |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...(verdict.consecutive?.reason ? [`Consecutive windows: ${verdict.consecutive.reason}.`, ""] : []),
  ].join("\n");
}

/**
 * GitHub Actions workflow commands: an annotation per failing or inconclusive guardrail. Title
 * and message both name the guardrail and its segment (some views show only the message), with
 * the runner's escapes: `%`, CR and LF everywhere, and `:` and `,` in the title, where they would
 * end it.
 */
export function renderGithub(verdict: GateVerdict): string {
  const data = (text: string) => text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
  const property = (text: string) => data(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
  const annotation = (level: string, title: string, message: string) =>
    `::${level} title=${property(`shadowdiff ${title}`)}::${data(message)}`;
  const lines = verdict.guardrails
    .filter((result) => result.status !== "pass")
    .map((result) =>
      annotation(
        result.status === "fail" ? "error" : result.status === "not_judged" ? "notice" : "warning",
        checkLabel(result),
        labelledReason(result),
      ),
    );
  for (const warning of verdict.warnings ?? []) lines.push(annotation("warning", "warning", warning));
  if (verdict.consecutive?.reason)
    lines.push(annotation("warning", "consecutive windows", verdict.consecutive.reason));
  return `${[...lines, `shadowdiff gate: ${verdict.verdict}`].join("\n")}\n`;
}

function rank(status: GuardrailResult["status"]): number {
  return { fail: 0, inconclusive: 1, warn: 2, pass: 3, not_judged: 4 }[status];
}

function bound(value: number | null): string {
  return value === null ? "∞" : value.toPrecision(4);
}
