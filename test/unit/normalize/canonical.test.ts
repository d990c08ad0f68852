import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../src/contracts/rules.js";
import { canonicalEqual, canonicalize, canonicalKey } from "../../../src/normalize/canonical.js";
import { applyMasks, type CompiledMask, compileMasks } from "../../../src/normalize/masks.js";
import { descend, isIgnoredHere, type PointerPattern, parsePointer } from "../../../src/normalize/pointer.js";
import { jsonText } from "../../fuzz/hostile.js";

const masks = compileMasks(DEFAULT_RULES.masks);

describe("canonicalize", () => {
  it("keeps a `__proto__` key as data, compared like any other", () => {
    const parsed = JSON.parse('{"amount": 5, "__proto__": {"amount": 999999}}') as unknown;
    expect(canonicalKey(canonicalize(parsed, [], []))).toBe('{"__proto__":{"amount":999999},"amount":5}');
    expect(canonicalKey(canonicalize(parsed, [], []))).not.toBe(
      canonicalKey(canonicalize({ amount: 5 }, [], [])),
    );
  });

  it("sorts keys so key order never matters", () => {
    const a = canonicalKey(canonicalize({ b: 1, a: { d: 2, c: 3 } }, [], []));
    const b = canonicalKey(canonicalize({ a: { c: 3, d: 2 }, b: 1 }, [], []));
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":3,"d":2},"b":1}');
  });

  it("masks UUIDs and timestamps inside strings", () => {
    const value = { trace: "run 3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b at 2026-11-20T09:00:01.123Z ok" };
    expect(canonicalize(value, masks, [])).toEqual({ trace: "run <uuid> at <timestamp> ok" });
  });

  it("applies user regex masks", () => {
    const ticket = compileMasks({
      uuid: false,
      timestamp: false,
      patterns: [{ name: "ticket", pattern: "TCK-\\d+" }],
    });
    expect(canonicalize("see TCK-123 and TCK-9", ticket, [])).toBe("see <ticket> and <ticket>");
  });

  it("removes ignored paths, with * matching one segment, and keeps array slots", () => {
    const ignore = ["/trace_id", "/items/*/added_at"].map(parsePointer);
    const value = {
      trace_id: "x",
      amount: 1,
      items: [
        { sku: "a", added_at: "t1" },
        { sku: "b", added_at: "t2" },
      ],
    };
    expect(canonicalize(value, [], ignore)).toEqual({ amount: 1, items: [{ sku: "a" }, { sku: "b" }] });
    expect(canonicalize([1, 2, 3], [], [parsePointer("/1")])).toEqual([1, null, 3]);
  });
});

/** JSON text of a parsed value with every object's keys in reverse order (Infinity as 1e999). */
function reversedText(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return value > 0 ? "1e999" : "-1e999";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reversedText).join(",")}]`;
  const entries = Object.keys(value)
    .reverse()
    .map((key) => `${JSON.stringify(key)}:${reversedText((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(",")}}`;
}

describe("canonicalEqual", () => {
  const text = jsonText({ maxDepth: 3, maxDeepLeaf: 0 });
  // Equal pairs are rare among independent values: a third are one text twice, a third one value
  // written with its keys reversed, and UUIDs and timestamps (masked) are among the strings.
  const pair = fc.oneof(
    fc.tuple(text, text),
    text.map((one) => [one, one] as const),
    text.map((one) => [one, reversedText(JSON.parse(one))] as const),
    fc
      .tuple(fc.uuid(), fc.uuid(), fc.constantFrom("id", "0", "__proto__"))
      .map(([a, b, key]) => [`{${JSON.stringify(key)}:"${a}"}`, `{${JSON.stringify(key)}:"${b}"}`] as const),
  );
  const ignoreSets = fc.constantFrom([], ["/a"], ["/*/a", "/0"], ["/__proto__"], ["/constructor/*"]);

  it("is true exactly when the canonical keys are equal", () => {
    fc.assert(
      fc.property(pair, ignoreSets, fc.boolean(), ([a, b], ignorePointers, masked) => {
        const ignore = ignorePointers.map(parsePointer);
        const maskList = masked ? masks : [];
        const x = canonicalize(JSON.parse(a), maskList, ignore);
        const y = canonicalize(JSON.parse(b), maskList, ignore);
        expect(canonicalEqual(x, y)).toBe(canonicalKey(x) === canonicalKey(y));
      }),
      { seed: 1303, numRuns: 3000 },
    );
  });

  it("tells apart what JSON text tells apart, and only that", () => {
    const same = (a: unknown, b: unknown) => canonicalEqual(canonicalize(a, [], []), canonicalize(b, [], []));
    expect(same({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(same(0, -0)).toBe(true);
    expect(same({ 10: "x", 9: "y" }, { 9: "y", 10: "x" })).toBe(true);
    expect(same([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(same({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(same("1", 1)).toBe(false);
    expect(same(JSON.parse('{"__proto__": 1}'), {})).toBe(false);
    expect(same(JSON.parse("1e999"), JSON.parse("-1e999"))).toBe(false);
  });
});

describe("canonicalize beyond JSON data", () => {
  it("leaves out what JSON text has no place for, as JSON.stringify does, so keys do not change", () => {
    const value = { a: undefined, b: () => 1, c: Symbol("s"), d: [undefined, () => 1, 2], e: 1 };
    const canonical = canonicalize(value, [], []);
    expect(canonical).toStrictEqual({ d: [null, null, 2], e: 1 });
    expect(canonicalKey(canonical)).toBe(JSON.stringify(value));
    expect(canonicalEqual(canonical, canonicalize({ e: 1, d: [null, null, 2] }, [], []))).toBe(true);
  });

  it("refuses a bigint as JSON.stringify does", () => {
    expect(() => canonicalize({ amount: 5n }, [], [])).toThrow(TypeError);
  });
});

/** Reference: the canonical form built as a fresh copy at every level, the plain way. */
function copiedCanonical(
  value: unknown,
  masks: readonly CompiledMask[],
  ignore: readonly PointerPattern[],
): unknown {
  if (isIgnoredHere(ignore)) return null;
  if (typeof value === "string") return applyMasks(value, masks);
  if (typeof value === "number") return Number.isFinite(value) ? value : `\u0000number:${value}`;
  if (value === null || typeof value === "boolean") return value;
  if (typeof value !== "object") return null;
  if (Array.isArray(value)) {
    return Array.from(value, (item, index) => copiedCanonical(item, masks, descend(ignore, String(index))));
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    const below = descend(ignore, key);
    if (child === undefined || typeof child === "function" || typeof child === "symbol") continue;
    if (isIgnoredHere(below)) continue;
    Object.defineProperty(out, key, {
      value: copiedCanonical(child, masks, below),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

describe("canonicalize without copying what is already canonical", () => {
  it("gives the form a fresh copy at every level gives, and leaves its input as it was", () => {
    const ignoreSets = fc.constantFrom(
      [],
      ["/a"],
      ["/*/a", "/0"],
      ["/__proto__"],
      ["/constructor/*"],
      ["/*"],
    );
    fc.assert(
      fc.property(
        jsonText({ maxDepth: 3, maxDeepLeaf: 0 }),
        ignoreSets,
        fc.boolean(),
        (text, pointers, masked) => {
          const ignore = pointers.map(parsePointer);
          const maskList = masked ? masks : [];
          const input = JSON.parse(text) as unknown;
          const before = JSON.stringify(input);
          const canonical = canonicalize(input, maskList, ignore);
          expect(canonicalKey(canonical)).toBe(canonicalKey(copiedCanonical(input, maskList, ignore)));
          expect(JSON.stringify(input)).toBe(before);
        },
      ),
      { seed: 1304, numRuns: 3000 },
    );
  });

  it("returns a parsed value already in canonical form as itself, and copies from the first difference", () => {
    const sorted = JSON.parse('{"amount": 5, "items": [{"sku": "a"}], "order_id": "ORD-1"}') as unknown;
    expect(canonicalize(sorted, masks, [])).toBe(sorted);
    const unsorted = JSON.parse('{"b": {"x": 1}, "a": 2}') as { b: unknown };
    const copy = canonicalize(unsorted, masks, []) as { b: unknown };
    expect(copy).not.toBe(unsorted);
    expect(copy.b).toBe(unsorted.b);
    expect(Object.keys(copy)).toEqual(["a", "b"]);
    const masked = JSON.parse('["x", "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b"]') as unknown;
    expect(canonicalize(masked, masks, [])).toEqual(["x", "<uuid>"]);
    expect(masked).toEqual(["x", "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b"]);
  });

  it("copies what is not a plain object or list to the plain object of its own keys", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const point = canonicalize(new Point(1, 2), [], []);
    expect(Object.getPrototypeOf(point)).toBe(Object.prototype);
    expect(point).toEqual({ x: 1, y: 2 });
    expect(canonicalize(new Date(0), [], [])).toStrictEqual({});
  });
});
