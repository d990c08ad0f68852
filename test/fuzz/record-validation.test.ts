import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isShadowdiffError } from "../../src/contracts/errors.js";
import { MAX_JSON_DEPTH } from "../../src/contracts/json-depth.js";
import { type LineOrigin, parseExchangeLine, type RecordParse } from "../../src/contracts/validate-record.js";
import { runs, timed, valueDepth } from "./bounded.js";
import { deepNesting, hostileString, hugeString, jsonText } from "./hostile.js";
import { recordParts, recordText } from "./record-text.js";

const origins: fc.Arbitrary<LineOrigin> = fc.record({
  source: fc.constantFrom("captures/b.jsonl", "kafka:shadow.exchanges/3", "../odd name\t.jsonl"),
  line: fc.integer({ min: 1, max: 2 ** 31 }),
});

function parseWithin(text: string, origin: LineOrigin): RecordParse {
  return timed(`parseExchangeLine of ${text.length} characters`, 3_000, () =>
    parseExchangeLine(text, origin),
  );
}

/** A refusal is a ShadowdiffError with a code, whose message starts with the source and line. */
function expectLocated(result: RecordParse, origin: LineOrigin): void {
  if (result.ok) return;
  expect(isShadowdiffError(result.error)).toBe(true);
  expect(["INVALID_JSON", "INVALID_RECORD"]).toContain(result.error.code);
  expect(result.error.message.startsWith(`${origin.source}:${origin.line}`)).toBe(true);
  expect(result.error.context).toMatchObject({ source: origin.source, line: origin.line });
}

function parsesAsJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** Lines as a capture may hold them: records, records cut short, any JSON, any text. */
const lines: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: recordParts.map((parts) => recordText(parts)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        recordParts.map((parts) => recordText(parts)),
        fc.double({ min: 0, max: 1, noNaN: true }),
      )
      .map(([text, cut]) => text.slice(0, Math.floor(text.length * cut))),
  },
  { weight: 2, arbitrary: jsonText({ maxDepth: 4, maxDeepLeaf: 3_000 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: hugeString },
);

describe("record validation of hostile lines", () => {
  it("never throws: a line is a record, or a coded refusal that names its source and line", () => {
    fc.assert(
      fc.property(lines, origins, (text, origin) => {
        const result = parseWithin(text, origin);
        expectLocated(result, origin);
        const json = parsesAsJson(text);
        if (json === undefined) expect(result.ok).toBe(false);
        if (result.ok) {
          expect(valueDepth(json?.value)).toBeLessThanOrEqual(MAX_JSON_DEPTH);
          expect(result.record.schema).toBe("shadowdiff.exchange/v1");
          expect(typeof result.record.id === "string" && result.record.id !== "").toBe(true);
        }
      }),
      runs(1521, 300),
    );
  }, 60_000);

  it("accepts a record nested up to the limit and refuses one nested past it, with its location", () => {
    // Brackets inside a string are text, not nesting: a string of them must not count.
    const bracketString = fc
      .integer({ min: 1, max: 5_000 })
      .map((count) => JSON.stringify(`${"[".repeat(count)}${"{".repeat(count)}`));
    const outcome = fc.oneof(
      deepNesting(MAX_JSON_DEPTH - 10, MAX_JSON_DEPTH + 10),
      deepNesting(1, 4_000),
      bracketString,
    );
    fc.assert(
      fc.property(recordParts, outcome, origins, (parts, deep, origin) => {
        // Shallow everywhere else, so the outcome decides.
        const text = recordText({
          ...parts,
          outcome: deep,
          steps: [],
          metadata: "{}",
          content: '"hi"',
          labels: "{}",
        });
        const depth = valueDepth(JSON.parse(text));
        const result = parseWithin(text, origin);
        expectLocated(result, origin);
        expect(result.ok).toBe(depth <= MAX_JSON_DEPTH);
        if (!result.ok) expect(result.error.message).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels`);
      }),
      runs(1522, 150),
    );
  }, 60_000);

  it("refuses a record with one field made invalid, naming that field's JSON path", () => {
    const oneStep: fc.Arbitrary<string> = recordParts.map((parts) =>
      recordText({
        ...parts,
        labels: '{"tenant":"acme"}',
        steps: [{ name: "lookup", turn: undefined, args: "{}", result: undefined, failed: false }],
      }),
    );
    // [path, text of a value that is wrong there]; each value breaks exactly one rule.
    const broken = fc.constantFrom(
      ["/id", "5"],
      ["/id", '""'],
      ["/ts", '"2026-13-01T00:00:00Z"'],
      ["/ts", '"NaN"'],
      ["/replica", "-1"],
      ["/replica", "1.5"],
      ["/labels/tenant", "1e999"],
      ["/response/latency_ms", "1e999"],
      ["/response/latency_ms", "-1"],
      ["/response/latency_ms", '"NaN"'],
      ["/response/usage/input_tokens", "1.5"],
      ["/response/usage/input_tokens", "-0.5"],
      ["/response/steps/0/arguments", "[]"],
      ["/response/steps/0/arguments", '"__proto__"'],
      ["/response/steps/0/name", '""'],
      ["/response/refusal", '"false"'],
      ["/response/error", '{"type":"x"}'],
    );
    fc.assert(
      fc.property(oneStep, broken, origins, (text, [path, valueText], origin) => {
        const record = JSON.parse(text) as Record<string, unknown>;
        const marker = "\u0000BROKEN\u0000";
        setAt(record, path, marker);
        const brokenText = JSON.stringify(record).replace(JSON.stringify(marker), valueText);
        const result = parseWithin(brokenText, origin);
        expectLocated(result, origin);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe("INVALID_RECORD");
        expect(result.error.context.path).toBe(path);
        expect(result.error.message).toContain(path);
      }),
      runs(1523, 200),
    );
  }, 60_000);

  it("names an unknown top-level key, __proto__ included, instead of dropping it", () => {
    fc.assert(
      fc.property(
        recordParts,
        fc.constantFrom("__proto__", "constructor", "lables"),
        origins,
        (parts, key, origin) => {
          const text = recordText(parts).replace(/^\{/, `{${JSON.stringify(key)}:{"polluted":true},`);
          const result = parseWithin(text, origin);
          expect(result.ok).toBe(false);
          expectLocated(result, origin);
          if (!result.ok) expect(result.error.message).toContain(`has unknown property '${key}'`);
          expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
        },
      ),
      runs(1524, 50),
    );
  });

  // FINDING: a refusal quotes the record's id and JSON.parse's excerpt of the line verbatim, so
  // terminal escapes (`\u001b[2J`), bidi overrides (`\u202e`) and newlines from a hostile producer
  // reach the terminal and logs raw: a forged log line, or text that reads otherwise than it is.
  it("keeps raw control and bidi characters of the data out of a refusal's message", () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileString, jsonText({ maxDepth: 3, maxDeepLeaf: 0 })),
        origins,
        (text, origin) => {
          const result = parseWithin(text, origin);
          if (!result.ok) expect(unsafeCharacters(result.error.message)).toEqual([]);
        },
      ),
      runs(1525, 200),
    );
  });
});

/** Sets `value` at a JSON pointer of plain segments (no escapes needed for the paths above). */
function setAt(root: Record<string, unknown>, pointer: string, value: unknown): void {
  const segments = pointer.slice(1).split("/");
  let node: Record<string, unknown> = root;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string, unknown>;
  node[segments.at(-1) as string] = value;
}

/** Control characters (but tab) and bidi overrides or isolates in a text, as code points. */
function unsafeCharacters(text: string): string[] {
  const found: string[] = [];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const control = (code < 0x20 && code !== 0x09) || code === 0x7f;
    const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    if (control || bidi) found.push(`U+${code.toString(16).padStart(4, "0")}`);
  }
  return found;
}
