import { appendFile, mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildHarvestStore,
  CANDIDATE_A,
  CANDIDATE_B,
  harvestCli,
  jsonLines,
  PLANTED,
  plantedTraceId,
} from "../integration/exports-store.js";

/** `shadowdiff harvest` through the built CLI, on the fixture captures with personal data planted. */
let directory: string;
let store: string;

const harvest = (args: readonly string[], candidate: string = CANDIDATE_A) =>
  harvestCli(store, candidate, args);

interface NativeCase {
  id: string;
  input_hash: string;
  input: { messages: { role: string; content: unknown }[] };
  expected: { output: string | null };
  provenance: {
    request_id: string;
    candidate_release: string;
    category: string;
    labels: Record<string, string>;
  };
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-harvest-"));
  store = await buildHarvestStore(directory);
});

describe("shadowdiff harvest", () => {
  it("adds nothing the second time into the same bench", async () => {
    const out = join(directory, "bench");
    const first = await harvest(["--limit", "30", "--out", out]);
    expect(first).toMatch(/30 case\(s\) selected, 30 added/);
    const second = await harvest(["--limit", "30", "--out", out]);
    expect(second).toMatch(/30 case\(s\) selected, 0 added .*, 30 already there/);
    const lines = await jsonLines<NativeCase>(join(out, "cases.jsonl"));
    expect(lines).toHaveLength(30);
    expect(new Set(lines.map((line) => line.provenance.category)).size).toBeGreaterThanOrEqual(3);
  });

  it("keeps a second candidate's own failures on the same inputs, and adds nothing for one harvested twice", async () => {
    const out = join(directory, "two-candidates");
    const first = await harvest(["--limit", "1000", "--out", out]);
    const added = Number(/(\d+) added/.exec(first)?.[1]);
    expect(added).toBeGreaterThan(100);
    // Candidate B behaves exactly like A, so every one of its failures has an input A's cases have.
    const second = await harvest(["--limit", "1000", "--out", out], CANDIDATE_B);
    expect(second).toMatch(new RegExp(`${added} case\\(s\\) selected, ${added} added .*, 0 already there`));
    const again = await harvest(["--limit", "1000", "--out", out], CANDIDATE_B);
    expect(again).toMatch(new RegExp(`${added} case\\(s\\) selected, 0 added .*, ${added} already there`));
    const cases = await jsonLines<NativeCase>(join(out, "cases.jsonl"));
    expect(cases).toHaveLength(2 * added);
    expect(new Set(cases.map((benchCase) => benchCase.id)).size).toBe(2 * added);
    // The input hash still keeps one case per input for one (candidate release, category).
    const keys = cases.map(
      (c) => `${c.provenance.candidate_release} ${c.provenance.category} ${c.input_hash}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    const inputsOf = (release: string) =>
      new Set(cases.filter((c) => c.provenance.candidate_release === release).map((c) => c.input_hash));
    const [releaseA, releaseB] = [...new Set(cases.map((c) => c.provenance.candidate_release))];
    expect(inputsOf(releaseA as string)).toEqual(inputsOf(releaseB as string));
  });

  it("leaves no planted e-mail, phone or card number (text, JSON number, label) in any format, and no date or time altered", async () => {
    const out = join(directory, "all");
    for (const format of ["native", "promptfoo", "langfuse", "braintrust", "inspect"]) {
      await harvest(["--limit", "1000", "--out", out, "--format", format]);
    }
    const files = await readdir(out);
    expect(files).toHaveLength(5);
    const planted = (await readFile("fixtures/captures/baseline.jsonl", "utf8"))
      .split("\n")
      .filter(Boolean)
      .flatMap((line) => {
        const content =
          (JSON.parse(line) as { request: { messages: { content: string }[] } }).request.messages[0]
            ?.content ?? "";
        return [...content.matchAll(/\S+@example\.com|\+1 415 555 \d{4}|4111 1111 1111 1111/g)].map((match) =>
          match[0].replace(/\.$/, ""),
        );
      });
    expect(planted.length).toBeGreaterThan(100);
    const forbidden = [...new Set(planted), PLANTED.labelEmail, String(PLANTED.cardNumber)];
    for (const file of files) {
      const text = await readFile(join(out, file), "utf8");
      expect(text.split("\n").filter(Boolean).length, file).toBeGreaterThan(100);
      for (const value of forbidden) expect(text.includes(value), `${file} holds ${value}`).toBe(false);
      expect(text, file).toContain("<email>");
    }
    const cases = await jsonLines<NativeCase>(join(out, "cases.jsonl"));
    for (const benchCase of cases) {
      expect(benchCase.input.messages[0]).toEqual({ role: "system", content: PLANTED.systemPrompt });
      expect(benchCase.provenance.labels.contact).not.toContain("@");
    }
  });

  it("writes each exporter's documented fields; Langfuse items name the dataset and only a real trace", async () => {
    const out = join(directory, "exports");
    for (const format of ["promptfoo", "langfuse", "braintrust", "inspect"]) {
      await harvest(["--limit", "40", "--out", out, "--format", format]);
    }
    const keys = async (file: string) =>
      (await jsonLines<object>(join(out, file))).map((line) => Object.keys(line).sort().join(","));
    expect(new Set(await keys("promptfoo-tests.jsonl"))).toEqual(
      new Set(["assert,description,metadata,vars"]),
    );
    expect(new Set(await keys("braintrust-records.jsonl"))).toEqual(
      new Set(["expected,id,input,metadata,tags"]),
    );
    expect(new Set(await keys("inspect-samples.jsonl"))).toEqual(new Set(["id,input,metadata,target"]));
    const items = await jsonLines<{
      id: string;
      datasetName: string;
      sourceTraceId?: string;
      metadata: { request_id: string; case_id: string };
    }>(join(out, "langfuse-dataset-items.jsonl"));
    expect(items).toHaveLength(40);
    for (const item of items) {
      const traceId = plantedTraceId(item.metadata.request_id);
      expect(Object.keys(item).sort()).toEqual(
        [
          "datasetName",
          "expectedOutput",
          "id",
          "input",
          "metadata",
          ...(traceId ? ["sourceTraceId"] : []),
        ].sort(),
      );
      expect(item.sourceTraceId).toBe(traceId);
      expect(item.id).toBe(item.metadata.case_id);
      expect(item.datasetName).toBe(basename(out));
    }
    expect(items.some((item) => item.sourceTraceId !== undefined)).toBe(true);
    const named = join(directory, "named");
    await harvest([
      "--limit",
      "3",
      "--out",
      named,
      "--format",
      "langfuse",
      "--dataset",
      "support-regressions",
    ]);
    const namedItems = await jsonLines<{ datasetName: string }>(join(named, "langfuse-dataset-items.jsonl"));
    expect(namedItems.map((item) => item.datasetName)).toEqual(Array(3).fill("support-regressions"));
  });

  it("exports promptfoo assertions that pass on the reference answer they were made from (promptfoo's own code)", async () => {
    const out = join(directory, "promptfoo");
    await harvest(["--limit", "1000", "--out", out]);
    await harvest(["--limit", "1000", "--out", out, "--format", "promptfoo"]);
    const reference = new Map(
      (await jsonLines<NativeCase>(join(out, "cases.jsonl"))).map((c) => [c.id, c.expected.output]),
    );
    const tests = await jsonLines<{ assert: { type: string }[]; metadata: { case_id: string } }>(
      join(out, "promptfoo-tests.jsonl"),
    );
    expect(tests.length).toBe(reference.size);
    process.env.PROMPTFOO_DISABLE_TELEMETRY = "1";
    process.env.PROMPTFOO_DISABLE_UPDATE = "1";
    process.env.PROMPTFOO_CONFIG_DIR = join(directory, "promptfoo-config");
    const { evaluate } = await import("promptfoo");
    // The file loaded as a promptfooconfig lists it; the provider answers each case with the
    // reference answer its native case holds, so every result is the assertions on the reference.
    const summary = await evaluate(
      {
        prompts: ["{{ messages | dump }}"],
        providers: [
          async (_prompt: string, context: { test: { metadata: { case_id: string } } }) => ({
            output: reference.get(context.test.metadata.case_id) ?? "",
          }),
        ],
        tests: [`file://${join(out, "promptfoo-tests.jsonl")}`],
        writeLatestResults: false,
      } as never,
      { cache: false, maxConcurrency: 4 } as never,
    );
    const { results } = await summary.toEvaluateSummary();
    expect(results).toHaveLength(tests.length);
    for (const result of results) {
      const caseId = String(result.testCase.metadata?.case_id);
      expect(reference.has(caseId)).toBe(true);
      expect(result.success, `${caseId}: ${result.gradingResult?.reason}`).toBe(true);
    }
    // Most reference answers restate an id or an amount of their outcome: the check is not vacuous.
    const asserted = tests.reduce((sum, test) => sum + test.assert.length, 0);
    expect(asserted).toBeGreaterThan(tests.length / 2);
  });

  it("takes divergent categories only, and names a wrong one", async () => {
    const out = join(directory, "chosen");
    const stderr = await harvest(["--categories", "refusal_flip,args_drift", "--limit", "10", "--out", out]);
    expect(stderr).toMatch(/10 case\(s\) selected, 10 added/);
    const lines = await jsonLines<NativeCase>(join(out, "cases.jsonl"));
    expect([...new Set(lines.map((line) => line.provenance.category))].sort()).toEqual([
      "args_drift",
      "refusal_flip",
    ]);
    const refused = await harvest(["--categories", "refusal_flip,identical", "--out", out]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toContain("--categories: 'identical' is not a divergent category");
  });

  it("stops, naming file and line, when the bench holds a line that is not JSON", async () => {
    const out = join(directory, "damaged");
    await harvest(["--limit", "5", "--out", out]);
    await appendFile(join(out, "cases.jsonl"), "{ truncated\n");
    const failed = await harvest(["--limit", "5", "--out", out]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain(`${join(out, "cases.jsonl")}:6: not a JSON line`);
  });
});
