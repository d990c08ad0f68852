import { describe, expect, it } from "vitest";
import { redactValue } from "../../../src/harvest/redact.js";

describe("redactValue's walk", () => {
  it("handles JSON nested 100,000 levels deep without growing the call stack", () => {
    const depth = 100_000;
    let value: unknown = { email: "jane@example.com", n: 4242424242424242 };
    for (let level = 0; level < depth; level++) value = level % 2 === 0 ? { child: value } : [value];

    let node = redactValue(value);
    for (let level = depth - 1; level >= 0; level--) {
      node = level % 2 === 0 ? (node as { child: unknown }).child : (node as unknown[])[0];
    }
    expect(node).toEqual({ email: "<email>", n: "<card>" });
  });

  it("keeps a __proto__ key as data, scrubbed like any other, and gives no object a new prototype", () => {
    const value = JSON.parse(
      '{"__proto__": {"contact": "jane@example.com", "polluted": true}, "list": [{"__proto__": "+14155552671"}]}',
    );
    const redacted = redactValue(value) as Record<string, unknown>;

    expect(Object.keys(redacted)).toEqual(["__proto__", "list"]);
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(redacted, "__proto__")?.value).toEqual({
      contact: "<email>",
      polluted: true,
    });
    const item = (redacted.list as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(item, "__proto__")?.value).toBe("<phone>");
    expect(JSON.stringify(redacted)).toBe(
      '{"__proto__":{"contact":"<email>","polluted":true},"list":[{"__proto__":"<phone>"}]}',
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("keeps key order, replaces configured paths whole and leaves the input untouched", () => {
    const value = { b: { ip: "10.0.0.1", mail: "a@b.io" }, a: [{ ip: "10.0.0.2" }, "x@y.org"] };
    const before = JSON.stringify(value);
    const redacted = redactValue(value, ["/b/ip", "/a/*/ip"]);
    expect(JSON.stringify(redacted)).toBe(
      '{"b":{"ip":"<redacted>","mail":"<email>"},"a":[{"ip":"<redacted>"},"<email>"]}',
    );
    expect(JSON.stringify(value)).toBe(before);
  });
});
