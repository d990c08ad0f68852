import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { TrajectoryMode } from "../../../src/contracts/rules.js";
import type { PairCategory } from "../../../src/diff/category.js";
import { resolveRules } from "../../../src/normalize/resolve-rules.js";
import { diffCaptures, type PairVerdict } from "../../../src/pipeline/diff-captures.js";
import { loadRelease } from "../../../src/release/load.js";

/**
 * The fixture generator decides each pair's category from the behaviour it drew (an oracle that
 * shares no code with the diff engine) and writes it to expected-categories.json. The engine must
 * agree on every pair, in every trajectory mode.
 */
const CAPTURES = "fixtures/captures";
type Expected = Record<string, Record<"strict" | "unordered", Record<string, PairCategory>>>;
const expected = JSON.parse(await readFile(`${CAPTURES}/expected-categories.json`, "utf8")) as Expected;
const releases = await Promise.all(
  ["baseline", "candidate-model-upgrade", "candidate-prompt-tweak"].map((name) =>
    loadRelease(`fixtures/releases/${name}.yaml`),
  ),
);

async function classify(file: string, mode: TrajectoryMode): Promise<Map<string, PairVerdict>> {
  const verdicts = new Map<string, PairVerdict>();
  const result = await diffCaptures({
    baseline: `${CAPTURES}/baseline.jsonl`,
    candidate: `${CAPTURES}/${file}`,
    pairBy: file === "aa.jsonl" ? "id" : "id-and-replica",
    rules: resolveRules(undefined),
    mode,
    releases,
    onPair: (pair) => verdicts.set(pair.key.replace(/#\d+$/, ""), pair),
  });
  expect(result.unpaired).toEqual({ baseline: 0, candidate: 0 });
  expect(result.invalid).toBe(0);
  return verdicts;
}

describe("golden classification of the fixture captures", () => {
  for (const file of Object.keys(expected)) {
    // The oracle models strict and unordered; subset and superset are covered by the trajectory unit tests.
    for (const mode of ["strict", "unordered"] as const) {
      it(`${file} in ${mode} mode matches the generator's oracle pair by pair`, async () => {
        const want = expected[file]?.[mode] ?? {};
        expect(Object.keys(want).length).toBeGreaterThanOrEqual(500);
        const got = await classify(file, mode);
        const mismatches = Object.entries(want)
          .filter(([id, category]) => got.get(id)?.category !== category)
          .map(
            ([id, category]) =>
              `${id}: expected ${category}, got ${got.get(id)?.category} (${got.get(id)?.reason})`,
          );
        expect(mismatches.slice(0, 10)).toEqual([]);
        expect(got.size).toBe(Object.keys(want).length);
      });
    }
  }

  it("gives every non-identical pair a one-line reason", async () => {
    const got = await classify("candidate-model-upgrade.jsonl", "strict");
    for (const verdict of got.values()) {
      if (verdict.category === "identical") continue;
      expect(verdict.reason.length, verdict.key).toBeGreaterThan(0);
      expect(verdict.reason, verdict.key).not.toContain("\n");
    }
  });

  it("tells a split parallel turn from a real reordering", async () => {
    // The generator splits order_status's parallel lookup into two turns and, for refunds, sends
    // the e-mail before the refund (a real reordering); the intent label says which one it drew.
    const intents = new Map<string, string>();
    for (const line of (await readFile(`${CAPTURES}/baseline.jsonl`, "utf8")).trim().split("\n")) {
      const baseline = JSON.parse(line) as { id: string; labels: { intent: string } };
      intents.set(baseline.id, baseline.labels.intent);
    }
    const got = await classify("candidate-model-upgrade.jsonl", "strict");
    const sequence = [...got.entries()].filter(([, verdict]) => verdict.category === "tool_sequence_drift");
    expect(sequence.length).toBeGreaterThan(20);
    for (const [id, verdict] of sequence) {
      if (intents.get(id) === "order_status")
        expect(verdict.reason, id).toBe("same calls, split into 2 turns instead of 1");
      else expect(verdict.reason, id).toMatch(/^calls reordered across turns/);
    }
  });

  it("names the dropped refund currency in the reason", async () => {
    const got = await classify("candidate-model-upgrade.jsonl", "strict");
    const reasons = [...got.values()].filter((v) => v.category === "args_drift").map((v) => v.reason);
    expect(reasons).toContain("refund_order: arguments.currency missing in candidate");
  });
});

describe("fixture captures and manifests agree", () => {
  it("stamps each capture with the content id of the manifest it claims (regenerate after editing a manifest)", async () => {
    const byName = new Map(releases.map((release) => [`${release.name}@${release.version}`, release.id]));
    for (const file of ["baseline.jsonl", "aa.jsonl", ...Object.keys(expected)]) {
      const first = (await readFile(`${CAPTURES}/${file}`, "utf8")).split("\n", 1)[0] as string;
      const stamp = (JSON.parse(first) as { release: { id: string; name: string; version: string } }).release;
      expect(stamp.id, file).toBe(byName.get(`${stamp.name}@${stamp.version}`));
    }
  });
});
