import type { Verdict } from "./results.js";

/**
 * Consecutive windows (the canary practice the product follows: Kayenta's and Flagger's
 * "successful checks before promotion"): with `consecutive: {windows: K, minutes: M}` a
 * sequential gate promotes only when it would have promoted at each of the last K looks, M
 * minutes apart, each look reading all the data up to its time. A fail at the latest look fails
 * at once; anything short of K promotes in a row holds, so a verdict does not flap on one good
 * window. Always-valid confidence sequences make these repeated looks safe (docs/SEMANTICS.md).
 */
export interface ConsecutivePolicy {
  readonly windows: number;
  readonly minutes: number;
}

export interface Look {
  /** Seconds since the epoch: the end of the data this look read (exclusive). */
  readonly until: number;
  readonly verdict: Verdict;
}

export interface ConsecutiveResult {
  readonly verdict: Verdict;
  readonly windows: number;
  readonly minutes: number;
  /** Newest first. */
  readonly looks: readonly Look[];
  readonly reason: string | null;
}

/** The ends of the K looks, newest first. */
export function lookEnds(end: number, policy: ConsecutivePolicy): number[] {
  return Array.from({ length: policy.windows }, (_, index) => end - index * policy.minutes * 60);
}

export function consecutiveVerdict(looks: readonly Look[], policy: ConsecutivePolicy): ConsecutiveResult {
  const latest = looks[0];
  if (latest === undefined) throw new RangeError("consecutiveVerdict needs at least one look");
  const base = { windows: policy.windows, minutes: policy.minutes, looks };
  if (latest.verdict !== "promote") return { ...base, verdict: latest.verdict, reason: null };
  let streak = 0;
  for (const look of looks) {
    if (look.verdict !== "promote") break;
    streak++;
  }
  if (streak >= policy.windows) return { ...base, verdict: "promote", reason: null };
  return {
    ...base,
    verdict: "hold",
    reason: `promote at ${streak} of ${policy.windows} consecutive ${policy.minutes}-minute looks; promotes after ${policy.windows} in a row`,
  };
}
