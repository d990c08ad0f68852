import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../src/contracts/rules.js";
import { canonicalize, canonicalKey } from "../../../src/normalize/canonical.js";
import { compileMasks } from "../../../src/normalize/masks.js";
import { parsePointer } from "../../../src/normalize/pointer.js";

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
