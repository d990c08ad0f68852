import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { PAIR_CATEGORIES } from "../../../src/contracts/categories.js";
import { runShadowdiff } from "../../support/cli.js";

const CAPTURES = "fixtures/captures";
const summary = JSON.parse(await readFile(`${CAPTURES}/expected-summary.json`, "utf8")) as Record<
  string,
  Record<"strict" | "unordered", Record<string, number>>
>;

async function diffJson(args: readonly string[]): Promise<Record<string, unknown>> {
  const run = await runShadowdiff([
    "diff",
    "--baseline",
    `${CAPTURES}/baseline.jsonl`,
    ...args,
    "--format",
    "json",
  ]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** The generator's counts with every category present (absent ones are zero). */
function expectedCounts(file: string, mode: "strict" | "unordered"): Record<string, number> {
  const counts = summary[file]?.[mode] ?? {};
  return Object.fromEntries(PAIR_CATEGORIES.map((category) => [category, counts[category] ?? 0]));
}

describe("shadowdiff diff --format json on the fixtures", () => {
  for (const file of [
    "candidate-model-upgrade.jsonl",
    "candidate-prompt-tweak.jsonl",
    "candidate-reorder.jsonl",
  ]) {
    for (const mode of ["strict", "unordered"] as const) {
      it(`reproduces the golden counts of ${file} in ${mode} mode`, async () => {
        const result = await diffJson(["--candidate", `${CAPTURES}/${file}`, "--mode", mode]);
        expect(result.pairs).toBe(600);
        expect(result.categories).toEqual(expectedCounts(file, mode));
        expect(result.unpaired).toEqual({ baseline: 0, candidate: 0 });
        expect(result.invalid).toBe(0);
        expect(Array.isArray(result.paths)).toBe(true);
        expect(Array.isArray(result.noise_paths)).toBe(true);
      });
    }
  }

  it("reorders inside a turn are identical in strict mode; across turns they are sequence drift", async () => {
    const strict = await diffJson(["--candidate", `${CAPTURES}/candidate-reorder.jsonl`]);
    const unordered = await diffJson([
      "--candidate",
      `${CAPTURES}/candidate-reorder.jsonl`,
      "--mode",
      "unordered",
    ]);
    const strictCounts = strict.categories as Record<string, number>;
    expect(strictCounts.tool_sequence_drift).toBeGreaterThan(0);
    expect(strictCounts.identical).toBe(600 - (strictCounts.tool_sequence_drift ?? 0));
    expect((unordered.categories as Record<string, number>).identical).toBe(600);
  });

  it("with --noise, pairs whose only differences are within the A/A floor are not drift; without it they are", async () => {
    const args = ["--candidate", `${CAPTURES}/candidate-prompt-tweak.jsonl`];
    const plain = (await diffJson(args)) as { drift: { pairs: number }; noise_only: number };
    const netted = (await diffJson([...args, "--noise", `${CAPTURES}/aa.jsonl`])) as {
      drift: { pairs: number };
      noise_only: number;
      noise_paths: { path: string }[];
      categories: Record<string, number>;
      categories_raw: Record<string, number>;
    };
    // The benign prompt tweak rewords the refund e-mail body exactly as often as the A/A run does.
    expect(plain.drift.pairs).toBe(summary["candidate-prompt-tweak.jsonl"]?.strict.args_drift);
    expect(plain.noise_only).toBe(0);
    expect(netted.drift.pairs).toBe(0);
    expect(netted.noise_only).toBe(plain.drift.pairs);
    expect(netted.noise_paths.map((verdict) => verdict.path)).toContain("/steps/send_email/arguments/body");
    // Categories are net of the floor; the raw ones are kept beside them.
    expect(netted.categories.args_drift).toBe(0);
    expect(netted.categories_raw.args_drift).toBe(plain.drift.pairs);
  });

  it("keeps real regressions as drift when the A/A floor is applied", async () => {
    const netted = (await diffJson([
      "--candidate",
      `${CAPTURES}/candidate-model-upgrade.jsonl`,
      "--noise",
      `${CAPTURES}/aa.jsonl`,
    ])) as { drift: { by_category: Record<string, number> }; paths: { path: string }[] };
    expect(netted.drift.by_category.refusal_flip).toBe(
      summary["candidate-model-upgrade.jsonl"]?.strict.refusal_flip,
    );
    expect(netted.paths.map((verdict) => verdict.path)).toContain("/steps/refund_order/arguments/currency");
  });
});

describe("shadowdiff diff on bad lines", () => {
  const args = [
    "diff",
    "--baseline",
    `${CAPTURES}/bad-lines/baseline.jsonl`,
    "--candidate",
    `${CAPTURES}/bad-lines/candidate.jsonl`,
  ];

  it("reports each bad line with file:line, id and JSON path, and compares the rest", async () => {
    const run = await runShadowdiff([...args, "--format", "json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      pairs: number;
      invalid: number;
      invalid_lines: { message: string }[];
    };
    expect(result.pairs).toBe(5);
    expect(result.invalid).toBe(5);
    const file = `${CAPTURES}/bad-lines/candidate.jsonl`;
    expect(result.invalid_lines.map((line) => line.message)).toEqual([
      expect.stringMatching(new RegExp(`^${file}:3: not valid JSON`)),
      `${file}:5: / must have required property 'id'`,
      `${file}:7 (id req-000006): /response/steps/0/arguments must be object`,
      `${file}:9 (id req-000002): duplicate id, first seen at line 2`,
      `${file}:10: truncated record: the file ends mid-record without a newline`,
    ]);
  });

  it("prints the invalid lines in the table output", async () => {
    const run = await runShadowdiff(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "candidate.jsonl:7 (id req-000006): /response/steps/0/arguments must be object",
    );
  });

  it("exits 2 with --strict", async () => {
    const run = await runShadowdiff([...args, "--strict"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("5 invalid line(s)");
  });

  it("exits 2 on a missing capture file, naming it", async () => {
    const run = await runShadowdiff([
      "diff",
      "--baseline",
      "nope.jsonl",
      "--candidate",
      `${CAPTURES}/baseline.jsonl`,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("nope.jsonl");
  });
});
