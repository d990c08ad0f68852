import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

/** `shadowdiff harvest` on the fixture store, through the built CLI. */
const execute = promisify(execFile);
let directory: string;
let store: string;

async function harvest(args: readonly string[]): Promise<string> {
  const { stderr } = await execute("node", [
    "bin/shadowdiff.js",
    "harvest",
    "--candidate",
    "support-agent@1.5.0-rc.1",
    "--store",
    store,
    ...args,
  ]);
  return stderr;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-harvest-"));
  store = `chdb:${join(directory, "store")}`;
  await execute("bash", ["scripts/demo.sh", "--format", "none"], {
    env: { ...process.env, SHADOWDIFF_STORE: store },
  });
});

describe("shadowdiff harvest", () => {
  it("adds nothing the second time into the same bench", async () => {
    const out = join(directory, "bench");
    const first = await harvest(["--limit", "30", "--out", out]);
    expect(first).toMatch(/30 case\(s\) selected, 30 added/);
    const second = await harvest(["--limit", "30", "--out", out]);
    expect(second).toMatch(/30 case\(s\) selected, 0 added .*, 30 already there/);
    const lines = (await readFile(join(out, "cases.jsonl"), "utf8")).split("\n").filter(Boolean);
    expect(lines).toHaveLength(30);
    const categories = new Set(
      lines.map((line) => (JSON.parse(line) as { provenance: { category: string } }).provenance.category),
    );
    expect(categories.size).toBeGreaterThanOrEqual(3);
  });

  it("removes every e-mail, phone and card number planted in the fixtures", async () => {
    const out = join(directory, "all");
    await harvest(["--limit", "1000", "--out", out]);
    const text = await readFile(join(out, "cases.jsonl"), "utf8");
    expect(text.split("\n").filter(Boolean).length).toBeGreaterThan(100);
    const planted = (await readFile("fixtures/captures/baseline.jsonl", "utf8"))
      .split("\n")
      .filter(Boolean)
      .flatMap((line) => {
        const content =
          (JSON.parse(line) as { request: { messages: { content: string }[] } }).request.messages[0]
            ?.content ?? "";
        return [...content.matchAll(/\S+@example\.com|\+1 415 555 \d{4}|4111 1111 1111 1111/g)].map(
          (match) => match[0],
        );
      });
    expect(planted.length).toBeGreaterThan(100);
    for (const value of new Set(planted)) expect(text, value).not.toContain(value.replace(/\.$/, ""));
    expect(text).toContain("<email>");
  });

  it("writes each exporter's documented fields", async () => {
    const out = join(directory, "exports");
    for (const format of ["promptfoo", "langfuse", "braintrust", "inspect"]) {
      await harvest(["--limit", "5", "--out", out, "--format", format]);
    }
    const first = async (file: string) =>
      Object.keys(
        JSON.parse((await readFile(join(out, file), "utf8")).split("\n")[0] as string) as object,
      ).sort();
    expect(await first("promptfoo-tests.jsonl")).toEqual(["assert", "description", "metadata", "vars"]);
    expect(await first("langfuse-dataset-items.jsonl")).toEqual([
      "expectedOutput",
      "input",
      "metadata",
      "sourceTraceId",
    ]);
    expect(await first("braintrust-records.jsonl")).toEqual(["expected", "input", "metadata", "tags"]);
    expect(await first("inspect-samples.jsonl")).toEqual(["id", "input", "metadata", "target"]);
  });

  it("takes divergent categories only, and names a wrong one", async () => {
    const out = join(directory, "chosen");
    const stderr = await harvest(["--categories", "refusal_flip,args_drift", "--limit", "10", "--out", out]);
    expect(stderr).toMatch(/10 case\(s\) selected, 10 added/);
    const lines = (await readFile(join(out, "cases.jsonl"), "utf8")).split("\n").filter(Boolean);
    const categories = new Set(
      lines.map((line) => (JSON.parse(line) as { provenance: { category: string } }).provenance.category),
    );
    expect([...categories].sort()).toEqual(["args_drift", "refusal_flip"]);
    const refused = await harvest(["--categories", "refusal_flip,identical", "--out", out]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toContain("--categories: 'identical' is not a divergent category");
  });
});
