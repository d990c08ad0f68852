import { describe, expect, it } from "vitest";
import { withNonEmptyKeyword } from "../../../src/contracts/ajv.js";
import { MAX_JSON_DEPTH } from "../../../src/contracts/json-depth.js";
import { parseExchangeLine, validateExchangeValue } from "../../../src/contracts/validate-record.js";
import { record } from "../records.js";

const origin = { source: "captures/b.jsonl", line: 812 };

describe("parseExchangeLine", () => {
  it("refuses a record nested past the stated limit with its location, and accepts one at the limit", () => {
    const nestedText = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
    // Built as text: JSON.stringify itself recurses and would overflow on the hostile value.
    const withArguments = (levels: number, id: string) =>
      JSON.stringify(
        record({ id, steps: [{ type: "tool_call", name: "lookup", arguments: { x: "HERE" } }] }),
      ).replace('"HERE"', nestedText(levels));
    const parsed = parseExchangeLine(withArguments(4_000, "req-deep"), origin);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.message).toBe(
        `captures/b.jsonl:812 (id req-deep): nested deeper than ${MAX_JSON_DEPTH} levels (the limit for a record)`,
      );
    }
    const withMetadata = JSON.stringify(record({ id: "req-meta" })).replace(
      '"request":{',
      `"request":{"metadata":${nestedText(10_000)},`,
    );
    expect(parseExchangeLine(withMetadata, origin).ok).toBe(false);
    expect(validateExchangeValue(JSON.parse(withMetadata), origin).ok).toBe(false);
    const nested = (levels: number) => JSON.parse(nestedText(levels)) as unknown;
    const atLimit = record() as unknown as { request: { metadata: unknown } };
    atLimit.request.metadata = nested(MAX_JSON_DEPTH - 10);
    expect(parseExchangeLine(JSON.stringify(atLimit), origin).ok).toBe(true);
  });

  it("refuses an empty id or step name with Ajv's own minLength message, and takes one astral character", () => {
    const parsed = parseExchangeLine(JSON.stringify(record({ id: "" })), origin);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain("/id must NOT have fewer than 1 characters");
    const noName = parseExchangeLine(
      JSON.stringify(record({ steps: [{ type: "tool_call", name: "", arguments: {} }] })),
      origin,
    );
    expect(noName.ok).toBe(false);
    if (!noName.ok)
      expect(noName.error.message).toContain("/response/steps/0/name must NOT have fewer than 1 characters");
    expect(parseExchangeLine(JSON.stringify(record({ id: "😀" })), origin).ok).toBe(true);
  });

  it("accepts a valid record", () => {
    const parsed = parseExchangeLine(JSON.stringify(record()), origin);
    expect(parsed.ok).toBe(true);
  });

  it("locates a wrong-typed field by file, line, id and JSON path", () => {
    const bad = record({ id: "req-77" }) as unknown as { response: { steps: unknown[] } };
    bad.response.steps = [
      { type: "tool_call", name: "a", arguments: {} },
      { type: "tool_call", name: "b", arguments: {} },
      { type: "tool_call", name: "c", arguments: "x" },
    ];
    const parsed = parseExchangeLine(JSON.stringify(bad), origin);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toBe(
      "captures/b.jsonl:812 (id req-77): /response/steps/2/arguments must be object",
    );
    expect(parsed.error.code).toBe("INVALID_RECORD");
    expect(parsed.error.context).toMatchObject({
      source: "captures/b.jsonl",
      line: 812,
      recordId: "req-77",
      path: "/response/steps/2/arguments",
    });
  });

  it("reports a truncated line as invalid JSON with its location", () => {
    const text = JSON.stringify(record());
    const parsed = parseExchangeLine(text.slice(0, text.length / 2), origin);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe("INVALID_JSON");
    expect(parsed.error.message).toMatch(/^captures\/b\.jsonl:812: not valid JSON/);
  });

  it("reports a record without id at the root path", () => {
    const { id: _omitted, ...withoutId } = record();
    const parsed = parseExchangeLine(JSON.stringify(withoutId), origin);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toBe("captures/b.jsonl:812: / must have required property 'id'");
  });

  it("names an unknown top-level property, catching typos such as lables", () => {
    const parsed = parseExchangeLine(JSON.stringify({ ...record(), lables: {} }), origin);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toContain("/ has unknown property 'lables'");
  });

  it("rejects a wrong schema version", () => {
    const parsed = parseExchangeLine(
      JSON.stringify({ ...record(), schema: "shadowdiff.exchange/v2" }),
      origin,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toContain('/schema must be "shadowdiff.exchange/v1"');
  });
});

describe("withNonEmptyKeyword", () => {
  it("rewrites minLength: 1 in schema positions only, leaving data and other limits alone", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string", minLength: 1 }, b: { type: "string", minLength: 2 } },
      anyOf: [{ minLength: 1 }],
      const: { minLength: 1 },
      examples: [{ minLength: 1 }],
    };
    expect(withNonEmptyKeyword(schema)).toEqual({
      type: "object",
      properties: {
        a: { type: "string", "x-shadowdiff-nonEmpty": true },
        b: { type: "string", minLength: 2 },
      },
      anyOf: [{ "x-shadowdiff-nonEmpty": true }],
      const: { minLength: 1 },
      examples: [{ minLength: 1 }],
    });
  });
});
