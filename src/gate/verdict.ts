import type { DriftReport, ReleaseRef } from "../analyze/report-types.js";
import type { ConsecutiveResult } from "./consecutive.js";
import type { GuardrailResult, Verdict } from "./evaluate.js";

/** The gate's canonical output; JUnit, Markdown and GitHub annotations are rendered from it. */
export interface GateVerdict {
  readonly schema: "shadowdiff.verdict/v1";
  readonly verdict: Verdict;
  readonly candidate: ReleaseRef;
  readonly baseline: ReleaseRef;
  readonly policy: { readonly source: string; readonly sha256: string };
  readonly window: DriftReport["window"];
  readonly pairs: number;
  /** `sequential`: every guardrail judged on an always-valid bound (safe under repeated looks). */
  readonly mode: "fixed" | "sequential";
  readonly guardrails: readonly GuardrailResult[];
  /** With a policy's `consecutive` in sequential mode: the looks behind the verdict. */
  readonly consecutive?: ConsecutiveResult;
}

export function renderJunit(verdict: GateVerdict): string {
  const cases = verdict.guardrails.map((result) => {
    const name = escapeMarkup(
      result.segment === null ? checkName(result) : `${checkName(result)} [${result.segment}]`,
    );
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
  const failures = verdict.guardrails.filter((result) => result.status === "fail").length;
  const skipped =
    verdict.guardrails.filter((result) => result.status === "inconclusive" || result.status === "not_judged")
      .length + (reason ? 1 : 0);
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
      `| ${result.status}${result.action === "warn" && result.status !== "warn" ? " (warn only)" : ""} | ${checkName(result)}${result.segment ? ` (${result.segment})` : ""} | ${result.observed === null ? "–" : result.observed.toPrecision(4)} | ${result.interval ? `${bound(result.interval[0])} – ${bound(result.interval[1])}` : "–"} | ${"max" in result.limit ? `≤ ${result.limit.max}` : `≥ ${result.limit.min}`} | ${result.reason.replaceAll("|", "\\|")} |`,
  );
  return [
    `## shadowdiff gate: ${icon}`,
    "",
    `candidate **${verdict.candidate.name ?? verdict.candidate.id}@${verdict.candidate.version ?? "?"}** (${verdict.candidate.model ?? "?"}) vs baseline ${verdict.baseline.name ?? verdict.baseline.id}@${verdict.baseline.version ?? "?"}, ${verdict.pairs} pairs, policy \`${verdict.policy.source}\``,
    "",
    "| status | guardrail | observed | 95% interval | limit | reason |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...(verdict.consecutive?.reason ? [`Consecutive windows: ${verdict.consecutive.reason}.`, ""] : []),
  ].join("\n");
}

/** GitHub Actions workflow commands: an annotation per failing or inconclusive guardrail. */
export function renderGithub(verdict: GateVerdict): string {
  const lines = verdict.guardrails
    .filter((result) => result.status !== "pass")
    .map(
      (result) =>
        `::${result.status === "fail" ? "error" : result.status === "not_judged" ? "notice" : "warning"} title=shadowdiff ${checkName(result)}${result.segment ? ` (${result.segment})` : ""}::${result.reason}`,
    );
  if (verdict.consecutive?.reason)
    lines.push(`::warning title=shadowdiff consecutive windows::${verdict.consecutive.reason}`);
  return `${[...lines, `shadowdiff gate: ${verdict.verdict}`].join("\n")}\n`;
}

function rank(status: GuardrailResult["status"]): number {
  return { fail: 0, inconclusive: 1, warn: 2, pass: 3, not_judged: 4 }[status];
}

/** `score_delta(task_success)` for a targeted guardrail, the plain name otherwise. */
export function checkName(result: Pick<GuardrailResult, "guardrail" | "target">): string {
  return result.target === null ? result.guardrail : `${result.guardrail}(${result.target})`;
}

function bound(value: number | null): string {
  return value === null ? "∞" : value.toPrecision(4);
}

/** Text escaped for XML (JUnit) and HTML alike: in content and in double-quoted attributes. */
export function escapeMarkup(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
