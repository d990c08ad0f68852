import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ByteRange,
  type Line,
  lineProblem,
  MAX_RECORD_BYTES,
  readLines,
} from "../../../src/sources/jsonl-lines.js";

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

describe("readLines on lines that cannot be records", () => {
  it("skips a line past the record bound without holding it, and goes on with the next", async () => {
    const huge = `{"x":"${"a".repeat(MAX_RECORD_BYTES + 1024)}"}`;
    const path = await file(`{"a":1}\n${huge}\n{"b":2}\n`);
    const lines: Line[] = [];
    for await (const line of readLines(path)) lines.push(line);
    expect(lines.map((line) => [line.number, line.problem, line.text.length])).toEqual([
      [1, undefined, 7],
      [2, "too-long", 0],
      [3, undefined, 7],
    ]);
    expect(lines[1]?.byteLength).toBe(Buffer.byteLength(huge));
    expect(lineProblem(lines[1] as Line, "c.jsonl")?.message).toMatch(
      /^c\.jsonl:2: 8\.0 MB line, longer than the 8 MB limit for a record/,
    );
  });

  it("marks bytes that are not UTF-8 instead of replacing them silently", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "shadowdiff-lines-")), "bytes.jsonl");
    await writeFile(
      path,
      Buffer.concat([
        Buffer.from('{"id":"ok"}\n{"id":"req-'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}\n'),
      ]),
    );
    const lines: Line[] = [];
    for await (const line of readLines(path)) lines.push(line);
    expect(lines.map((line) => line.problem)).toEqual([undefined, "not-utf8"]);
    expect(lineProblem(lines[1] as Line, "bytes.jsonl")?.message).toContain(
      "bytes.jsonl:2: bytes that are not UTF-8",
    );
  });
});
