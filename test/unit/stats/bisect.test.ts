import { describe, expect, it } from "vitest";
import { bisectEdge, bisectEdgeNear, firstInteger, lastInteger } from "../../../src/stats/bisect.js";

describe("bisectEdgeNear", () => {
  it("gives bisectEdge's answer whatever the guess, in fewer evaluations when the guess is close", () => {
    for (const root of [1e-300, 1e-13, 0.3, 0.5, 1 - 2 ** -52]) {
      for (const guess of [root, root * (1 + 1e-15), root * 0.99, root * 1.5, 0, 1, Number.NaN, -3]) {
        for (const [inside, outside] of [
          [0, 1],
          [1, 0],
        ] as const) {
          const condition = inside < outside ? (x: number) => x < root : (x: number) => x >= root;
          let evaluations = 0;
          const counted = (x: number) => {
            evaluations++;
            return condition(x);
          };
          expect(bisectEdgeNear(counted, inside, outside, guess)).toBe(
            bisectEdge(condition, inside, outside),
          );
          if (guess === root && root > 1e-200) expect(evaluations).toBeLessThanOrEqual(45);
        }
      }
    }
  });
});

describe("bisectEdge", () => {
  it("returns the first double outside the condition, from either side and across 0", () => {
    expect(bisectEdge((x) => x < 0.3, 0, 1)).toBe(0.3);
    expect(bisectEdge((x) => x <= 0.3, 0, 1)).toBe(0.30000000000000004);
    expect(bisectEdge((x) => x > 0.3, 1, 0)).toBe(0.3);
    expect(bisectEdge((x) => x > -2.5, 1e12, -1e12)).toBe(-2.5);
  });

  it("reaches a root near 1e-300 or 1 − 1e-16 in at most 64 evaluations", () => {
    for (const root of [1e-300, 1e-13, 0.5, 1 - 2 ** -52, 5e-324]) {
      let evaluations = 0;
      const edge = bisectEdge(
        (x) => {
          evaluations++;
          return x < root;
        },
        0,
        1,
      );
      expect(edge).toBe(root);
      expect(evaluations).toBeLessThanOrEqual(64);
    }
  });

  it("rejects an infinite bracket", () => {
    expect(() => bisectEdge(() => true, 0, Number.POSITIVE_INFINITY)).toThrow(
      /finite bracket, got \[0, Infinity\]/,
    );
  });
});

describe("firstInteger and lastInteger", () => {
  it("find where a monotone condition switches, or null if it never holds", () => {
    expect(firstInteger((k) => k * k >= 50, 0, 100)).toBe(8);
    expect(firstInteger((k) => k >= 0, 3, 9)).toBe(3);
    expect(firstInteger(() => false, 0, 100)).toBeNull();
    expect(lastInteger((k) => k * k <= 50, 0, 100)).toBe(7);
    expect(lastInteger((k) => k <= 100, 3, 9)).toBe(9);
    expect(lastInteger(() => false, 0, 100)).toBeNull();
  });
});
