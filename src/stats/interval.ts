import { normalQuantile } from "./normal.js";

/** A point estimate with a two-sided confidence interval around it. */
export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The z with P(|Z| <= z) = confidence, e.g. 1.959964 for 0.95. Computed from the upper tail
 * (1 - confidence) / 2 so that confidence levels close to 1 keep their digits.
 */
export function twoSidedCriticalValue(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1 (e.g. 0.95), got ${confidence}`);
  }
  return -normalQuantile((1 - confidence) / 2);
}

/** Counts are where bad upstream arithmetic shows first; fail loudly rather than report nonsense. */
export function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer count, got ${value}`);
  }
}
