import { readFile } from "node:fs/promises";
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
