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
/** The generator's per-capture counts (expected-summary.json), e.g. tasks calling each tool. */
type Summary = Record<string, { tools: Record<string, Record<string, number>> }>;
const summary = JSON.parse(await readFile(`${CAPTURES}/expected-summary.json`, "utf8")) as Summary;
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

  it("tells a split parallel turn and an added escalation from a real reordering", async () => {
    // The generator splits order_status's parallel lookup into two turns, hands some refunds to a
    // human (an extra escalate_to_human call) and, for refunds, sends the e-mail before the refund
    // (a real reordering); the intent label and the candidate's own calls say which one it drew.
    type Run = { id: string; labels: { intent: string }; response: { steps: { name: string }[] } };
    const records = async (file: string) => {
      const lines = (await readFile(`${CAPTURES}/${file}`, "utf8")).trim().split("\n");
      return new Map(lines.map((line) => JSON.parse(line) as Run).map((run) => [run.id, run]));
    };
    const escalates = (run: Run | undefined) =>
      run?.response.steps.some((step) => step.name === "escalate_to_human") ?? false;
    const baselines = await records("baseline.jsonl");
    const candidates = await records("candidate-model-upgrade.jsonl");
    const got = await classify("candidate-model-upgrade.jsonl", "strict");
    const sequence = [...got.entries()].filter(([, verdict]) => verdict.category === "tool_sequence_drift");
    const reasons = new Set<string>();
    for (const [id, verdict] of sequence) {
      const [baseline, candidate] = [baselines.get(id), candidates.get(id)];
      if (escalates(candidate) && !escalates(baseline)) {
        expect(verdict.reason, id).toBe("escalate_to_human added in candidate");
        reasons.add("escalation");
      } else if (baseline?.labels.intent === "order_status") {
        expect(verdict.reason, id).toBe("same calls, split into 2 turns instead of 1");
        reasons.add("split");
      } else {
        expect(verdict.reason, id).toMatch(/^calls reordered across turns/);
        reasons.add("reordered");
      }
    }
    expect([...reasons].sort()).toEqual(["escalation", "reordered", "split"]);
    expect(sequence.length).toBeGreaterThan(20);
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

describe("the fixture's escalation tool", () => {
  type Run = { id: string; replica?: number; response: { steps: { name: string }[]; error: unknown } };
  const runs = async (file: string) =>
    (await readFile(`${CAPTURES}/${file}`, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Run);
  const escalates = (run: Run) => run.response.steps.some((step) => step.name === "escalate_to_human");

  it("is called in the captures exactly as often as the generator's summary says, per side", async () => {
    const baselines = new Map((await runs("baseline.jsonl")).map((run) => [run.id, run]));
    for (const file of Object.keys(summary)) {
      const count = { pairs: 0, baseline: 0, candidate: 0, gained: 0, lost: 0 };
      for (const candidate of await runs(file)) {
        const baseline = baselines.get(candidate.id) as Run;
        if (baseline.response.error !== null || candidate.response.error !== null) continue;
        const [b, c] = [escalates(baseline), escalates(candidate)];
        count.pairs++;
        count.baseline += Number(b);
        count.candidate += Number(c);
        count.gained += Number(!b && c);
        count.lost += Number(b && !c);
      }
      expect(count, file).toEqual(summary[file]?.tools.escalate_to_human);
    }
  });

  it("goes from about 8% of tasks to about 22% in the regressed candidate only", () => {
    const share = (file: string, side: "baseline" | "candidate") => {
      const tally = summary[file]?.tools.escalate_to_human ?? {};
      return (tally[side] ?? 0) / (tally.pairs ?? 1);
    };
    expect(share("aa.jsonl", "baseline")).toBeGreaterThan(0.06);
    expect(share("aa.jsonl", "baseline")).toBeLessThan(0.1);
    for (const file of ["aa.jsonl", "candidate-prompt-tweak.jsonl", "candidate-reorder.jsonl"])
      expect(share(file, "candidate"), file).toBe(share(file, "baseline"));
    expect(share("candidate-model-upgrade.jsonl", "candidate")).toBeGreaterThan(0.19);
    expect(share("candidate-model-upgrade.jsonl", "candidate")).toBeLessThan(0.25);
  });
});
