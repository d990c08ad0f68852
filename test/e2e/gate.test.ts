import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

/** `shadowdiff gate` on the fixture candidates, through the built CLI (real exit codes). */
const execute = promisify(execFile);
let store: string;
let directory: string;

async function gate(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execute("node", [
      "bin/shadowdiff.js",
      "gate",
      ...args,
      "--store",
      store,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-gate-"));
  store = `chdb:${join(directory, "store")}`;
  await execute("bash", ["scripts/demo.sh", "--format", "none"], {
    env: { ...process.env, SHADOWDIFF_STORE: store },
  });
});

describe("shadowdiff gate", () => {
  const policy = "fixtures/releases/gate.yaml";

  it("fails the regressed candidate, naming the guardrails, with exit 1", async () => {
    const result = await gate(["--candidate", "support-agent@1.5.0-rc.1", "--policy", policy]);
    expect(result.code).toBe(1);
    const verdict = JSON.parse(result.stdout) as {
      verdict: string;
      policy: { sha256: string };
      guardrails: { guardrail: string; segment: string | null; status: string }[];
    };
    expect(verdict.verdict).toBe("fail");
    expect(verdict.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    const failing = verdict.guardrails
      .filter((g) => g.status === "fail" && g.segment === null)
      .map((g) => g.guardrail);
    expect(failing).toEqual(expect.arrayContaining(["drift_rate", "tool_call_success_delta"]));
  });

  it("promotes the benign candidate with exit 0", async () => {
    const result = await gate(["--candidate", "support-agent@1.4.1", "--policy", policy]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { verdict: string }).verdict).toBe("promote");
  });

  it("holds, exit 3, when the window has too few pairs to tell", async () => {
    const result = await gate([
      "--candidate",
      "support-agent@1.4.1",
      "--policy",
      policy,
      "--until",
      "2026-11-20T09:05:00Z",
      "--format",
      "markdown",
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("## shadowdiff gate: ⏸️ hold");
    // Markdown escapes `<` (GitHub shows it as typed): a label or reason cannot open an HTML tag.
    expect(result.stdout).toMatch(/too few pairs to tell \(\d+ &lt; 200\)/);
  });

  it("in sequential mode still fails the regressed candidate and promotes the benign one", async () => {
    const regressed = await gate([
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--policy",
      policy,
      "--sequential",
    ]);
    expect(regressed.code).toBe(1);
    expect((JSON.parse(regressed.stdout) as { mode: string }).mode).toBe("sequential");
    // 600 pairs are too few for an always-valid p95 bound to exclude ×1.3 (the fixture's p95 ratio
    // is ×1.13): sequential mode holds rather than promote on a point estimate.
    const benign = await gate(["--candidate", "support-agent@1.4.1", "--policy", policy, "--sequential"]);
    expect(benign.code).toBe(3);
    const held = JSON.parse(benign.stdout) as { guardrails: { guardrail: string; status: string }[] };
    expect(
      held.guardrails.filter((result) => result.status === "inconclusive").map((result) => result.guardrail),
    ).toEqual(["p95_latency_ratio"]);
    expect(held.guardrails.some((result) => result.status === "fail")).toBe(false);
  });

  it("with consecutive windows, promotes only when the earlier looks promoted too", async () => {
    // No p95 limit: 600 pairs are too few for an always-valid p95 bound (see above).
    const base = [
      "version: 1",
      "min_pairs: 200",
      "guardrails:",
      "  drift_rate: { max: 0.05 }",
      "  error_rate: { max: 0.02 }",
      "  cost_per_task_ratio: { max: 1.25 }",
    ];
    const spread = join(directory, "consecutive-30.yaml");
    await writeFile(spread, [...base, "consecutive: { windows: 3, minutes: 30 }", ""].join("\n"));
    // The fixture's pairs span 09:00-10:10: the looks at 09:40 and 09:10 read fewer pairs.
    const until = ["--until", "2026-11-20T10:10:00Z", "--sequential"];
    const held = await gate(["--candidate", "support-agent@1.4.1", "--policy", spread, ...until]);
    expect(held.code).toBe(3);
    const heldVerdict = JSON.parse(held.stdout) as {
      verdict: string;
      consecutive: { looks: { verdict: string }[]; reason: string };
    };
    expect(heldVerdict.consecutive.looks[0]?.verdict).toBe("promote");
    expect(heldVerdict.consecutive.reason).toMatch(/^promote at 1 of 3 consecutive 30-minute looks/);
    const close = join(directory, "consecutive-1s.yaml");
    await writeFile(close, [...base, "consecutive: { windows: 3, minutes: 0.01 }", ""].join("\n"));
    const promoted = await gate(["--candidate", "support-agent@1.4.1", "--policy", close, ...until]);
    expect(promoted.code, promoted.stdout).toBe(0);
    expect(
      (JSON.parse(promoted.stdout) as { consecutive: { looks: unknown[] } }).consecutive.looks,
    ).toHaveLength(3);
    const regressed = await gate(["--candidate", "support-agent@1.5.0-rc.1", "--policy", close, ...until]);
    expect(regressed.code).toBe(1);
  });

  it("renders JUnit XML and GitHub annotations from the same verdict", async () => {
    const junit = await gate([
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--policy",
      policy,
      "--format",
      "junit",
    ]);
    expect(junit.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="shadowdiff gate" tests="\d+" failures="[1-9]\d*"/,
    );
    expect(junit.stdout).toContain(
      '<testcase classname="shadowdiff.gate" name="drift_rate"><failure message="drift_rate',
    );
    const github = await gate([
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--policy",
      policy,
      "--format",
      "github",
    ]);
    expect(github.stdout).toMatch(/^::error title=shadowdiff drift_rate::drift_rate /m);
  });

  it("warns about a segment label no record has, and judges its one segment as the overall", async () => {
    const byRegion = join(directory, "by-region.yaml");
    await writeFile(
      byRegion,
      [
        "version: 1",
        "min_pairs: 200",
        "guardrails:",
        "  drift_rate: { max: 0.05 }",
        "segments:",
        "  - by: region",
        "    guardrails:",
        "      drift_rate: { max: 0.08 }",
        "",
      ].join("\n"),
    );
    const json = await gate(["--candidate", "support-agent@1.5.0-rc.1", "--policy", byRegion]);
    const verdict = JSON.parse(json.stdout) as {
      warnings: string[];
      guardrails: { segment: string | null; status: string; reason: string }[];
    };
    expect(verdict.warnings).toEqual([
      "no record has the label 'region': its only segment, region=(none), holds all 600 pairs and is judged as the overall",
    ]);
    const segment = verdict.guardrails.find((result) => result.segment === "region=(none)");
    expect(segment?.status).toBe("not_judged");
    expect(segment?.reason).toContain("judged once, as the overall drift_rate (max 0.05)");
    const github = await gate([
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--policy",
      byRegion,
      "--format",
      "github",
    ]);
    expect(github.stdout).toContain("::warning title=shadowdiff warning::no record has the label 'region'");
    expect(github.stdout).toContain(
      "::notice title=shadowdiff drift_rate [region=(none)]::drift_rate [region=(none)] not judged",
    );
  });

  it("exits 2 on a policy that does not validate, naming the file and path", async () => {
    const bad = join(directory, "bad.yaml");
    await writeFile(bad, "version: 1\nguardrails:\n  drift_rate: { maximum: 0.1 }\n");
    const result = await gate(["--candidate", "support-agent@1.4.1", "--policy", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}: /guardrails/drift_rate`);
  });
});
