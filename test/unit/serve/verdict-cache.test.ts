import { describe, expect, it } from "vitest";
import { VerdictCache } from "../../../src/serve/verdict-cache.js";

describe("VerdictCache", () => {
  it("computes once for concurrent requests, reuses within the ttl, recomputes after it", async () => {
    let now = 0;
    let computed = 0;
    const cache = new VerdictCache<number>(10_000, () => now);
    const compute = async () => ++computed;
    const [a, b] = await Promise.all([cache.get("x", compute), cache.get("x", compute)]);
    expect([a, b, computed]).toEqual([1, 1, 1]);
    now = 9_999;
    expect(await cache.get("x", compute)).toBe(1);
    now = 10_000;
    expect(await cache.get("x", compute)).toBe(2);
    expect(await cache.get("y", compute)).toBe(3);
  });

  it("does not keep a failure", async () => {
    const cache = new VerdictCache<number>(10_000, () => 0);
    await expect(cache.get("x", () => Promise.reject(new Error("store down")))).rejects.toThrow("store down");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await cache.get("x", async () => 7)).toBe(7);
  });
});
