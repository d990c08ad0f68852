import { describe, expect, it } from "vitest";
import type { GuardrailResult } from "../../../src/gate/results.js";
import type { GateVerdict } from "../../../src/gate/verdict.js";
import { renderGithub, renderJunit, renderMarkdown } from "../../../src/render/verdict-text.js";

const release = { id: "sha256:c", name: "agent", version: "2", model: "openai/gpt-4o-2024-08-06" };

function result(overrides: Partial<GuardrailResult>): GuardrailResult {
  return {
    guardrail: "drift_rate",
    target: null,
    action: "fail",
    segment: null,
    status: "pass",
    observed: 0.01,
    interval: [0, 0.02],
    limit: { max: 0.05 },
    reason: "drift_rate 0.01 [0, 0.02] is within its limit (max 0.05)",
    fail_alpha: 0.0125,
    detectable: 0.08,
    required_pairs: null,
    ...overrides,
  };
}

const verdict: GateVerdict = {
  schema: "shadowdiff.verdict/v1",
  verdict: "promote",
  candidate: release,
  baseline: { ...release, id: "sha256:b", version: "1" },
  policy: { source: "gate.yaml", sha256: "0".repeat(64) },
  window: { first: null, last: null },
  pairs: 1000,
  mode: "fixed",
  guardrails: [
    result({
      guardrail: "drift_rate",
      action: "warn",
      status: "warn",
      reason: "drift_rate 0.09 [0.07, 0.11] is past its limit (warn only) (max 0.05)",
    }),
    result({
      guardrail: "score_delta",
      target: "task_success",
      segment: "tenant=acme",
      limit: { min: -0.02 },
      reason: "score_delta(task_success) [tenant=acme] 0.01 [-0.01, 0.03] is within its limit (min -0.02)",
    }),
  ],
};

describe("verdict renderers", () => {
  it("show a warn guardrail in every format without changing the verdict", () => {
    expect(renderJunit(verdict)).toContain(
      '<testcase classname="shadowdiff.gate" name="drift_rate"><system-out>warn: ',
    );
    expect(renderJunit(verdict)).toContain('failures="0"');
    expect(renderMarkdown(verdict)).toContain("| warn | drift_rate |");
    expect(renderMarkdown(verdict)).toContain("## shadowdiff gate: ✅ promote");
    expect(renderGithub(verdict)).toContain("::warning title=shadowdiff drift_rate::");
    expect(renderGithub(verdict)).toContain("shadowdiff gate: promote");
  });

  it("name the target and the segment of a targeted guardrail", () => {
    expect(renderJunit(verdict)).toContain('name="score_delta(task_success) [tenant=acme]"');
    expect(renderMarkdown(verdict)).toContain("| score_delta(task_success) [tenant=acme] |");
  });

  const hostile: GateVerdict = {
    ...verdict,
    verdict: "fail",
    warnings: ["no record has the label 'tenant': its only segment, tenant=(none), holds all 1000 pairs"],
    guardrails: [
      result({
        segment: "tenant=acme, inc: eu|west\n100% <b>",
        status: "fail",
        limit: { max: 0.08 },
        reason: "0.12 [0.09, 0.15] is past its limit (max 0.08)\nsecond line 5%",
      }),
    ],
  };

  it("GitHub annotations name the segment and escape what would cut the title or the message", () => {
    const [line] = renderGithub(hostile).split("\n");
    const [, title, message] = /^::error title=([^:]*)::(.*)$/.exec(line ?? "") ?? [];
    expect(title).toBe("shadowdiff drift_rate [tenant=acme%2C inc%3A eu|west%0A100%25 <b>]");
    // The message names guardrail and segment too: GitHub shows it without the title in places.
    expect(message).toBe(
      "drift_rate [tenant=acme, inc: eu|west%0A100%25 <b>]: 0.12 [0.09, 0.15] is past its limit (max 0.08)%0Asecond line 5%25",
    );
  });

  it("Markdown keeps a hostile segment inside its cell", () => {
    const row =
      renderMarkdown(hostile)
        .split("\n")
        .find((line) => line.startsWith("| fail")) ?? "";
    expect(row.split(/(?<!\\)\|/)).toHaveLength(8);
    expect(row).toContain("tenant=acme, inc: eu\\|west<br>100% &lt;b>");
    expect(row).not.toContain("<b>");
  });

  it("every format carries the verdict's warnings", () => {
    const warning = "no record has the label 'tenant'";
    expect(renderMarkdown(hostile)).toContain(warning);
    expect(renderJunit(hostile)).toContain(warning);
    expect(renderGithub(hostile)).toContain(`::warning title=shadowdiff warning::${warning}`);
  });
});
