import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isShadowdiffError } from "../../src/contracts/errors.js";
import { parseExchangeLine } from "../../src/contracts/validate-record.js";
import { type ByteRange, type Line, lineProblem, readLines } from "../../src/sources/jsonl-lines.js";
import { runs, settlesWithin } from "./bounded.js";
import { hostileString } from "./hostile.js";
import { recordParts, recordText } from "./record-text.js";

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, truncated, too big. */
const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xc3],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
] as const;

type Kind = "record" | "not-utf8" | "other";
interface GeneratedLine {
  readonly bytes: Buffer;
  readonly kind: Kind;
}

// Outputs kept short: megabyte lines are the record-validation suite's, not this one's.
const record = recordParts.map((parts) =>
  Buffer.from(recordText({ ...parts, output: parts.output?.slice(0, 200) ?? null })),
);
const generatedLine: fc.Arbitrary<GeneratedLine> = fc.oneof(
  { weight: 3, arbitrary: record.map((bytes) => ({ bytes, kind: "record" as const })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(record, fc.constantFrom(...INVALID_UTF8), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([bytes, invalid, at]) => {
        const cut = Math.floor(bytes.length * at);
        const spliced = Buffer.concat([bytes.subarray(0, cut), Buffer.from(invalid), bytes.subarray(cut)]);
        return { bytes: spliced, kind: "not-utf8" as const };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(" ", "\t", "\r", "", " \t\r").map((text) => other(Buffer.from(text))),
  },
  { weight: 1, arbitrary: hostileString.map((text) => other(Buffer.from(text))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => other(Buffer.from(bytes))) },
);

function other(bytes: Buffer): GeneratedLine {
  return { bytes, kind: "other" };
}

const captureFile = fc.record({
  lines: fc.array(
    fc
      .tuple(generatedLine, fc.boolean())
      .map(([line, crlf]) =>
        crlf ? { ...line, bytes: Buffer.concat([line.bytes, Buffer.from("\r")]) } : line,
      ),
    { maxLength: 8 },
  ),
  finalNewline: fc.boolean(),
  split: fc.double({ min: 0, max: 1, noNaN: true }),
});

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

interface ExpectedLine {
  readonly number: number;
  readonly offset: number;
  readonly byteLength: number;
  readonly utf8: boolean;
  readonly unterminated: boolean;
}

/** The lines of a file as the JSONL contract defines them, worked out from the raw bytes. */
function expectedLines(file: Buffer): ExpectedLine[] {
  const expected: ExpectedLine[] = [];
  let start = 0;
  let number = 0;
  while (start < file.length) {
    number++;
    const newline = file.indexOf(0x0a, start);
    const end = newline === -1 ? file.length : newline;
    const bytes = file.subarray(start, end);
    const blank = bytes.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d);
    if (!blank)
      expected.push({
        number,
        offset: start,
        byteLength: bytes.length,
        utf8: isUtf8(bytes),
        unterminated: newline === -1,
      });
    start = end + 1;
  }
  return expected;
}

function withoutNumber({ number: _number, ...line }: Line): Omit<Line, "number"> {
  return line;
}

async function collect(path: string, range?: ByteRange): Promise<Line[]> {
  const lines: Line[] = [];
  for await (const line of readLines(path, range)) lines.push(line);
  return lines;
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "shadowdiff-fuzz-lines-"));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("capture lines with hostile bytes", () => {
  it("yields every non-blank line once, flags bytes that are not UTF-8, and locates every refusal", async () => {
    let fileIndex = 0;
    await fc.assert(
      fc.asyncProperty(captureFile, async ({ lines, finalNewline, split }) => {
        const file = Buffer.concat([
          Buffer.concat(
            lines.flatMap((line, index) => (index === 0 ? [line.bytes] : [Buffer.from("\n"), line.bytes])),
          ),
          Buffer.from(finalNewline && lines.length > 0 ? "\n" : ""),
        ]);
        // A generated line may hold newlines of its own: its number counts the ones before it.
        let newlinesBefore = 0;
        const firstNumbers = lines.map((line) => {
          const number = newlinesBefore + 1;
          newlinesBefore += line.bytes.filter((byte) => byte === 0x0a).length + 1;
          return number;
        });
        const path = join(directory, `capture-${fileIndex++}.jsonl`);
        await writeFile(path, file);
        const read = await settlesWithin("readLines", 5_000, collect(path));

        const expected = expectedLines(file);
        expect(
          read.map((line) => ({
            number: line.number,
            offset: line.offset,
            byteLength: line.byteLength,
            utf8: line.problem !== "not-utf8",
            unterminated: line.unterminated === true,
          })),
        ).toEqual(expected);

        for (const line of read) {
          const bytes = file.subarray(line.offset, line.offset + line.byteLength);
          if (line.problem === undefined) {
            expect(line.text).toBe(bytes.toString("utf8"));
            const parsed = parseExchangeLine(line.text, { source: path, line: line.number });
            if (!parsed.ok) expect(parsed.error.message.startsWith(`${path}:${line.number}`)).toBe(true);
          } else {
            const problem = lineProblem(line, path);
            expect(isShadowdiffError(problem)).toBe(true);
            expect(problem?.code).toBe("INVALID_RECORD");
            expect(problem?.message.startsWith(`${path}:${line.number}:`)).toBe(true);
          }
        }
        // A record as generated parses; the same record with bytes that are not UTF-8 never does.
        const byNumber = new Map(read.map((line) => [line.number, line]));
        lines.forEach((generated, index) => {
          const line = byNumber.get(firstNumbers[index] as number);
          if (generated.kind === "record")
            expect(line && parseExchangeLine(line.text, { source: path, line: line.number }).ok).toBe(true);
          if (generated.kind === "not-utf8") expect(line?.problem).toBe("not-utf8");
        });

        // Two byte ranges that meet at any byte hold every line exactly once between them. A
        // range numbers its lines from its own start, so lines are compared by offset, not number.
        const at = Math.floor(file.length * split);
        const parts = [
          ...(await collect(path, { start: 0, end: at })),
          ...(await collect(path, { start: at, end: file.length })),
        ];
        expect(parts.map(withoutNumber)).toEqual(read.map(withoutNumber));
      }),
      runs(1531, 120),
    );
  }, 60_000);
});
