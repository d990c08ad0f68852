import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOutputFile } from "../../../src/cli/output-file.js";
import { runShadowdiff } from "../../support/cli.js";

const RUN = ["run", "--source", "file:fixtures/captures/baseline.jsonl", "--candidate", "file:none.jsonl"];

/**
 * A user's mistake in an option is caught before any work: one line naming the option (or the
 * file), exit 2, never "unexpected error" with a stack (exit 4 is for the store and
 * infrastructure).
 */
describe("option values are checked up front", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "a port that is not a number",
      ["serve", "--policy", "fixtures/releases/gate.yaml", "--port", "abc"],
      /--port/,
    ],
    ["a share above 100%", [...RUN, "--sample", "150%"], /--sample/],
    ["a budget in another currency", [...RUN, "--max-spend", "20eur/h"], /--max-spend/],
    ["a database name SQL cannot hold", ["report", "--candidate", "x", "--database", "my-db"], /--database/],
    ["a minimum that is not a number", ["report", "--candidate", "x", "--min-pairs", "abc"], /--min-pairs/],
    ["a negative limit", ["replay", "--file", "x", "--topic", "t", "--limit", "-5"], /--limit/],
    ["a fractional limit", ["replay", "--file", "x", "--topic", "t", "--limit", "1.5"], /--limit/],
    ["no concurrency", [...RUN, "--concurrency", "0"], /--concurrency/],
    ["a harvest limit that is not a number", ["harvest", "--candidate", "x", "--limit", "abc"], /--limit/],
    [
      "a bench that is /dev/null",
      ["harvest", "--candidate", "x", "--out", "/dev/null"],
      /--out: \/dev\/null exists/,
    ],
    [
      "a bench that is a file",
      ["harvest", "--candidate", "x", "--out", "README.md"],
      /--out: README\.md exists/,
    ],
    ["an empty bench path", ["harvest", "--candidate", "x", "--out", ""], /--out: expected a directory/],
    [
      "a directory as a capture",
      ["diff", "--baseline", "fixtures", "--candidate", "fixtures/captures/aa.jsonl"],
      /fixtures: is a directory/,
    ],
  ];
  for (const [what, argv, names] of cases) {
    it(`rejects ${what} with exit 2 and one line naming it`, async () => {
      const run = await runShadowdiff(argv);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(names);
      expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
    });
  }

  it("rejects unknown sections and keys of a config file, naming the file", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-config-"));
    const section = join(directory, "section.yaml");
    await writeFile(section, "reprot: { by: tenant }\n");
    const badSection = await runShadowdiff(["--config", section, "report", "--candidate", "x"]);
    expect(badSection.code).toBe(2);
    expect(badSection.stderr).toContain(`${section}: 'reprot' is not a command`);
    const key = join(directory, "key.yaml");
    await writeFile(key, "report: { bye: tenant }\n");
    const badKey = await runShadowdiff(["--config", key, "report", "--candidate", "x"]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain("report.bye is not an option of 'report'");
    const value = join(directory, "value.yaml");
    await writeFile(value, "report: { min-pairs: abc }\n");
    const badValue = await runShadowdiff(["--config", value, "report", "--candidate", "x"]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain("config min-pairs: expected a whole number");
  });
});

describe("--out", () => {
  it("creates missing parent directories, and names a parent that is a file", async () => {
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-out-"));
    const nested = join(directory, "reports", "ci", "verdict.json");
    await writeOutputFile(nested, "{}\n");
    expect(await readFile(nested, "utf8")).toBe("{}\n");
    await expect(writeOutputFile(join(nested, "x.json"), "")).rejects.toThrow(/is a file, not a directory/);
  });
});
