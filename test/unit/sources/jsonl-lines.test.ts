import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ByteRange, type Line, readLines } from "../../../src/sources/jsonl-lines.js";

async function collect(path: string, range?: ByteRange): Promise<Omit<Line, "number">[]> {
  const lines: Omit<Line, "number">[] = [];
  for await (const { number: _number, ...line } of readLines(path, range)) lines.push(line);
  return lines;
}

async function file(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "shadowdiff-lines-")), "lines.jsonl");
  await writeFile(path, text);
  return path;
}

describe("readLines over byte ranges", () => {
  const text = '{"a":1}\n\n{"b":"ünï"}\n  \n{"c":3}\n{"d":"truncated';
  const size = Buffer.byteLength(text);

  it("reads the whole file when given no range", async () => {
    const lines = await collect(await file(text));
    expect(lines.map((line) => line.text)).toEqual(['{"a":1}', '{"b":"ünï"}', '{"c":3}', '{"d":"truncated']);
    expect(lines.at(-1)?.unterminated).toBe(true);
  });

  it("splits at any byte into ranges that together hold every line exactly once", async () => {
    const path = await file(text);
    const whole = await collect(path);
    for (let split = 0; split <= size; split++) {
      const parts = [
        ...(await collect(path, { start: 0, end: split })),
        ...(await collect(path, { start: split, end: size })),
      ];
      expect(parts, `split at byte ${split}`).toEqual(whole);
    }
  });

  it("gives a range the lines that start in it, finishing its last one past its end", async () => {
    const path = await file("aaaa\nbbbb\ncccc\n");
    expect((await collect(path, { start: 2, end: 7 })).map((line) => [line.text, line.offset])).toEqual([
      ["bbbb", 5],
    ]);
    expect((await collect(path, { start: 5, end: 6 })).map((line) => line.text)).toEqual(["bbbb"]);
    expect(await collect(path, { start: 6, end: 10 })).toEqual([]);
  });
});
