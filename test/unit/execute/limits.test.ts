import { describe, expect, it } from "vitest";
import {
  CircuitBreaker,
  inSample,
  parseBudget,
  parseShare,
  SpendBudget,
  TokenBucket,
} from "../../../src/execute/limits.js";

describe("session sampling", () => {
  it("is deterministic, session-whole, and close to the share", () => {
    const sessions = Array.from({ length: 20_000 }, (_, index) => `sess-${index}`);
    const first = sessions.filter((session) => inSample(session, 0.05));
    expect(sessions.filter((session) => inSample(session, 0.05))).toEqual(first);
    expect(first.length / sessions.length).toBeGreaterThan(0.045);
    expect(first.length / sessions.length).toBeLessThan(0.055);
    // Every request of a session shares its fate: the decision depends on the session key only.
    expect(inSample("sess-7", 0.5)).toBe(inSample("sess-7", 0.5));
    expect(inSample("x", 1)).toBe(true);
    expect(inSample("x", 0)).toBe(false);
    expect(parseShare("5%")).toBe(0.05);
    expect(() => parseShare("150%")).toThrow(RangeError);
  });
});

describe("token bucket", () => {
  it("allows the burst, then one token per 1/rate seconds", () => {
    const bucket = new TokenBucket(10, 2, 0);
    expect([bucket.take(0), bucket.take(0)]).toEqual([0, 0]);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(100)).toBe(0);
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures, lets a trial through after the cool-down, closes on success", () => {
    const breaker = new CircuitBreaker(3, 1_000);
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.allows(0)).toBe(true);
    breaker.failed(10);
    expect(breaker.allows(500)).toBe(false);
    expect(breaker.allows(1_010)).toBe(true);
    breaker.succeeded();
    expect(breaker.open).toBe(false);
  });
});

describe("spend budget", () => {
  it("stops at the limit within its window and recovers when spending leaves the window", () => {
    const { limitUsd, windowMs } = parseBudget("1usd/h");
    const budget = new SpendBudget(limitUsd, windowMs);
    budget.record(0, 0.6);
    expect(budget.exhausted(1)).toBe(false);
    budget.record(10, 0.4);
    expect(budget.exhausted(11)).toBe(true);
    expect(budget.exhausted(3_600_000)).toBe(false);
    expect(() => parseBudget("20 dollars")).toThrow(RangeError);
  });
});
