import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import type { ScriptedServer } from "../../fixtures/model-server/server.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";

/** Helpers of the judge e2e suite (judge.test.ts): the CLI, candidate captures, judge manifests. */
const execute = promisify(execFile);
export const SECRET = "sk-test-JUDGE-NEVER-LEAK-4d21e0";
export const CHAT = "/v1/chat/completions";
/** The state the suite sets up once: the fixture server, a scratch folder, the chDB world.store. */
export const world = {
  models: undefined as unknown as ScriptedServer,
  directory: "",
  store: "",
  baselines: [] as ExchangeRecord[],
};

export interface JudgeSummary {
  considered: number;
  judged: number;
  cached: number;
  better: number;
  same: number;
  worse: number;
  inconsistent: number;
  unparseable: number;
  skippedBudget: number;
  failed: number;
  modelCalls: number;
  spentUsd: number;
}

export async function shadowdiff(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execute("node", ["bin/shadowdiff.js", ...args, "--store", world.store], {
      env: { ...process.env, SHADOWDIFF_TEST_JUDGE_KEY: SECRET },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A candidate capture: each answer reworded, with a marker chosen by the record's position. */
export async function candidate(version: string, marker: (index: number) => string): Promise<string> {
  const lines = world.baselines.map((record, index) =>
    JSON.stringify({
      ...record,
      release: { ...record.release, id: `sha256:judge-test-${version}`, version },
      response: {
        ...record.response,
        output: `Reworded by ${version} for ${record.id}: ${record.response.output ?? ""}${marker(index)}`,
      },
    }),
  );
  const path = join(world.directory, `${version}.jsonl`);
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

/** A judge manifest beside a copy of the fixture prompt; `extra` changes its content id. */
export async function judgeManifest(name: string, snapshot: string, extra = ""): Promise<string> {
  const source = await readFile("fixtures/judges/judge.yaml", "utf8");
  const path = join(world.directory, `${name}.yaml`);
  await writeFile(
    path,
    `${source.replace("snapshot: judge-markers-2025-01-01", `snapshot: ${snapshot}`)}${extra}`,
  );
  return path;
}

export const judgeArgs = (candidateRelease: string, manifest: string, extra: readonly string[] = []) => [
  "judge",
  "--candidate",
  candidateRelease,
  "--judge",
  manifest,
  "--model-base-url",
  world.models.url,
  "--rate-limit",
  "5000",
  "--format",
  "json",
  ...extra,
];

export async function judge(candidateRelease: string, manifest: string, extra: readonly string[] = []) {
  const before = world.models.hits.get(CHAT) ?? 0;
  const result = await shadowdiff(judgeArgs(candidateRelease, manifest, extra));
  expect(result.code, result.stderr).toBe(0);
  const summary = (JSON.parse(result.stdout) as { summary: JudgeSummary }).summary;
  return { summary, calls: (world.models.hits.get(CHAT) ?? 0) - before, stderr: result.stderr };
}
