import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runShadowdiff } from "../support/cli.js";

/**
 * `run` stopped by SIGTERM part way: it writes what it read with its release rows, says so and
 * exits 143; `report` then knows the candidate, and the same run again completes the store.
 */
async function bigCaptures(
  directory: string,
  copies: number,
): Promise<{ baseline: string; candidate: string }> {
  const expand = async (file: string, out: string) => {
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    const copied: string[] = [];
    for (let copy = 0; copy < copies; copy++) {
      for (const line of lines) copied.push(line.replace(/"id":"(req-\d+)"/, `"id":"$1-${copy}"`));
    }
    await writeFile(out, `${copied.join("\n")}\n`);
    return out;
  };
  return {
    baseline: await expand("fixtures/captures/baseline.jsonl", join(directory, "baseline.jsonl")),
    candidate: await expand(
      "fixtures/captures/candidate-model-upgrade.jsonl",
      join(directory, "candidate.jsonl"),
    ),
  };
}

/** Resolves once a data part of November 2026 (the fixtures' partition) exists under the store. */
async function firstPart(store: string, exited: Promise<number | null>): Promise<void> {
  let done = false;
  void exited.then(() => {
    done = true;
  });
  for (;;) {
    const entries = await readdir(store, { recursive: true }).catch(() => [] as string[]);
    if (entries.some((entry) => /(^|\/)202611_\d+_\d+_\d+$/.test(entry))) return;
    if (done) throw new Error("run exited before writing its first part");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("run stopped by SIGTERM", () => {
  it("writes what it read with its releases, says to re-run, exits 143; the re-run completes", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-interrupted-"));
    const { baseline, candidate } = await bigCaptures(directory, 150);
    const store = `chdb:${join(directory, "store")}`;
    const args = [
      "run",
      "--source",
      `file:${baseline}`,
      "--candidate",
      `file:${candidate}`,
      "--store",
      store,
      "--format",
      "none",
    ];
    const child = spawn("node", ["bin/shadowdiff.js", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Stop once writing has started (the first part of the pairs table is on disk): a fixed delay
    // raced the CLI's start-up on a loaded machine, where a SIGTERM before the handler is installed
    // simply kills the process (exit null). The capture has 90,000 lines, several seconds of work.
    await firstPart(join(directory, "store"), exited);
    child.kill("SIGTERM");
    expect(await exited, stderr).toBe(143);
    expect(stderr).toContain("Run the same command again to complete it");
    const written = Number(/wrote (\d+) pairs/.exec(stderr)?.[1]);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(90_000);

    const report = await runShadowdiff([
      "report",
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--store",
      store,
      "--format",
      "json",
    ]);
    expect(report.code, report.stderr).toBe(0);
    const again = await runShadowdiff(args);
    expect(again.code, again.stderr).toBe(0);
    const full = await runShadowdiff([
      "report",
      "--candidate",
      "support-agent@1.5.0-rc.1",
      "--store",
      store,
      "--format",
      "json",
    ]);
    expect((JSON.parse(full.stdout) as { overall: { pairs: number } }).overall.pairs).toBe(90_000);
  }, 120_000);
});
