import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RecordedCapture } from "../../../src/sources/recorded-capture.js";

describe("RecordedCapture", () => {
  it("finds every record of a capture by pair key, reading it back from its byte offset", async () => {
    const path = "fixtures/captures/candidate-model-upgrade.jsonl";
    const capture = await RecordedCapture.open(path);
    try {
      const lines = (await readFile(path, "utf8")).split("\n").filter(Boolean);
      expect(capture.size).toBe(lines.length);
      for (const line of [lines[0], lines[299], lines.at(-1)] as string[]) {
        const record = JSON.parse(line) as { id: string };
        expect(capture.get(record.id)).toEqual(record);
      }
      expect(capture.get("req-999999")).toBeUndefined();
    } finally {
      capture.close();
    }
  });

  it("keys A/A records by id and replica, and skips invalid lines", async () => {
    const aa = await RecordedCapture.open("fixtures/captures/aa.jsonl");
    expect(aa.get("req-000001#1")?.replica).toBe(1);
    expect(aa.get("req-000001")).toBeUndefined();
    aa.close();
    const bad = await RecordedCapture.open("fixtures/captures/bad-lines/candidate.jsonl");
    expect(bad.invalid).toBe(4);
    expect(bad.get("req-000002")?.id).toBe("req-000002");
    bad.close();
  });
});

describe("RecordedCapture.readAhead", () => {
  it("answers keys in the order asked, whatever their order in the file, with each line as written", async () => {
    const path = "fixtures/captures/candidate-model-upgrade.jsonl";
    const capture = await RecordedCapture.open(path);
    try {
      const lines = (await readFile(path, "utf8")).split("\n").filter(Boolean);
      const idOf = (line: string) => (JSON.parse(line) as { id: string }).id;
      // Every 7th line backwards (spans of neighbours), every 40th (~60 KB apart: one read each),
      // an absent key and a key asked twice.
      const near = lines.filter((_, index) => index % 7 === 0).reverse();
      const far = lines.filter((_, index) => index % 40 === 3);
      const keys = [...near.map(idOf), "req-999999", ...far.map(idOf), idOf(lines[0] as string)];
      const ahead = capture.readAhead(keys);
      const found = keys.map((_, index) => ahead.get(index));
      expect(found).toHaveLength(keys.length);
      expect(found.map((entry) => entry?.text)).toEqual([...near, undefined, ...far, lines[0]]);
      expect(found.map((entry) => entry?.record.id)).toEqual(
        keys.map((key) => (key === "req-999999" ? undefined : key)),
      );
    } finally {
      capture.close();
    }
  });

  it("reads lines longer than a span on their own", async () => {
    const template = JSON.parse(
      (await readFile("fixtures/captures/candidate-model-upgrade.jsonl", "utf8")).split("\n")[0] as string,
    ) as { id: string; request: { metadata?: Record<string, unknown> } };
    // Four ~3 MB lines: spans stop at 8 MB, so they take more than one read.
    const records = ["a", "b", "c", "d"].map((suffix) => ({
      ...template,
      id: `req-big-${suffix}`,
      request: {
        ...template.request,
        metadata: { ...template.request.metadata, padding: suffix.repeat(3 << 20) },
      },
    }));
    const directory = await mkdtemp(join(tmpdir(), "shadowdiff-capture-"));
    const path = join(directory, "big.jsonl");
    await writeFile(path, `${records.map((record) => JSON.stringify(record)).join("\n")}\n`);
    const capture = await RecordedCapture.open(path);
    try {
      const keys = ["req-big-d", "req-big-a", "req-big-c", "req-big-b"];
      const ahead = capture.readAhead(keys);
      const found = keys.map((_, index) => ahead.get(index));
      expect(found.map((entry) => entry?.record.id)).toEqual([
        "req-big-d",
        "req-big-a",
        "req-big-c",
        "req-big-b",
      ]);
      expect(found[0]?.text).toBe(JSON.stringify(records[3]));
    } finally {
      capture.close();
      await rm(directory, { recursive: true });
    }
  });
});
