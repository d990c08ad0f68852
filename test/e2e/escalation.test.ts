import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { SufficientSegment } from "../../src/analyze/report-types.js";

/**
 * The fixture's escalation tool through the built CLI on chDB: the report's per-tool share
 * counts equal the fixture generator's own (expected-summary.json, counted from the behaviour it
 * drew, not from any report), and the fixture policy's escalate_to_human guardrail fails the
 * regressed candidate only.
 */
const execute = promisify(execFile);
const POLICY = "fixtures/releases/gate.yaml";
let store: string;

type Tally = { pairs: number; baseline: number; candidate: number; gained: number; lost: number };
const summary = JSON.parse(await readFile("fixtures/captures/expected-summary.json", "utf8")) as Record<
  string,
  { tools: { escalate_to_human: Tally } }
>;

/** Each fixture capture as the store knows it: the A/A is the baseline against itself. */
const CAPTURES = [
  { file: "candidate-model-upgrade.jsonl", flags: ["--candidate", "support-agent@1.5.0-rc.1"] },
  { file: "candidate-prompt-tweak.jsonl", flags: ["--candidate", "support-agent@1.4.1"] },
  { file: "aa.jsonl", flags: ["--candidate", "support-agent@1.4.0", "--baseline", "support-agent@1.4.0"] },
] as const;

async function shadowdiff(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await execute("node", ["bin/shadowdiff.js", ...args, "--store", store]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

beforeAll(async () => {
  store = `chdb:${join(await mkdtemp(join(tmpdir(), "shadowdiff-escalation-")), "store")}`;
  await execute("bash", ["scripts/demo.sh", "--format", "none"], {
    env: { ...process.env, SHADOWDIFF_STORE: store },
  });
});

describe("the escalation tool on the fixture captures", () => {
  it.each(CAPTURES)(
    "$file: the report's escalate_to_human share counts are the generator's",
    async ({ file, flags }) => {
      const report = await shadowdiff(["report", ...flags, "--format", "json"]);
      expect(report.code).toBe(0);
      const overall = (JSON.parse(report.stdout) as { overall: SufficientSegment }).overall;
      const share = overall.tools.escalate_to_human?.share;
      const expected = summary[file]?.tools.escalate_to_human as Tally;
      expect(expected.pairs).toBeGreaterThan(500);
      expect({
        pairs: share?.baseline.total,
        baseline: share?.baseline.count,
        candidate: share?.candidate.count,
        gained: share?.gained,
        lost: share?.lost,
      }).toEqual(expected);
      expect(share?.candidate.total).toBe(expected.pairs);
    },
  );

  it("fails the regressed candidate on the fixture policy's tool_share_delta, naming the tool", async () => {
    const gate = await shadowdiff(["gate", ...CAPTURES[0].flags, "--policy", POLICY]);
    expect(gate.code).toBe(1);
    const escalation = guardrail(gate.stdout);
    expect(escalation).toMatchObject({ status: "fail", limit: { max: 0.05 } });
    expect(escalation?.reason).toMatch(/^tool_share_delta\(escalate_to_human\) 0\.1\d+ .* past its limit/);
    const markdown = await shadowdiff([
      "gate",
      ...CAPTURES[0].flags,
      "--policy",
      POLICY,
      "--format",
      "markdown",
    ]);
    expect(markdown.stdout).toMatch(/\| fail \| tool_share_delta\(escalate_to_human\) \|/);
    // The report names it too, in its table of the tools whose share moved most.
    const text = await shadowdiff(["report", ...CAPTURES[0].flags, "--format", "markdown"]);
    expect(text.stdout).toContain("escalate_to_human");
  });

  it.each(CAPTURES.slice(1))(
    "$file: the same guardrail passes, and the gate does not fail",
    async ({ flags }) => {
      const gate = await shadowdiff(["gate", ...flags, "--policy", POLICY]);
      expect(gate.code).not.toBe(1);
      expect((JSON.parse(gate.stdout) as { verdict: string }).verdict).not.toBe("fail");
      expect(guardrail(gate.stdout)?.status).toBe("pass");
    },
  );
});

/** The overall escalate_to_human tool_share_delta result of a gate verdict. */
function guardrail(verdict: string): { status: string; reason: string } | undefined {
  const { guardrails } = JSON.parse(verdict) as {
    guardrails: {
      guardrail: string;
      target?: string;
      segment: string | null;
      status: string;
      reason: string;
    }[];
  };
  const matching = guardrails.filter(
    (result) =>
      result.guardrail === "tool_share_delta" &&
      result.target === "escalate_to_human" &&
      result.segment === null,
  );
  expect(matching).toHaveLength(1);
  return matching[0];
}
