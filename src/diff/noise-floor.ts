/**
 * The noise floor. LLMs are nondeterministic, so a difference means nothing until it exceeds
 * what the baseline does against itself. An A/A capture (the baseline release run again on the
 * same requests) gives, per differing path, how often the baseline disagrees with itself.
 *
 * Rule (Diffy's primary/secondary idea, made statistical): a path is **noise** unless its
 * candidate difference rate clearly exceeds its A/A rate, that is, unless the lower bound of the
 * 95% Newcombe hybrid-score interval (Newcombe 1998, method 10) for `rate(candidate) - rate(A/A)`
 * is above zero. Newcombe rather than "two Wilson intervals do not overlap": overlap is a ~99.5%
 * test and would call five refusal flips in 600 pairs noise against an A/A run with none. The two
 * rates are treated as independent proportions although both runs answer the same requests;
 * that ignores a positive correlation and so errs toward calling a path noise. `/error` is never
 * noise: failures are reported apart from behaviour and never explained away.
 */

export interface PathTally {
  readonly pairs: number;
  readonly counts: ReadonlyMap<string, number>;
}

export interface PathVerdict {
  readonly path: string;
  readonly count: number;
  readonly rate: number;
  readonly aaCount: number;
  readonly aaRate: number;
  readonly noise: boolean;
}

const Z_95 = 1.959963984540054;

/** Wilson score bounds at 95%, the same interval `analyze/stats` reports (tested equal). */
export function wilsonBounds(successes: number, trials: number): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = Z_95 * Z_95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const margin = (Z_95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}

/** Lower bound of the 95% Newcombe hybrid-score interval for p1 - p2 (independent samples). */
export function newcombeDifferenceLow(
  count1: number,
  trials1: number,
  count2: number,
  trials2: number,
): number {
  const p1 = count1 / trials1;
  const p2 = count2 / trials2;
  const low1 = wilsonBounds(count1, trials1).low;
  const high2 = wilsonBounds(count2, trials2).high;
  return p1 - p2 - Math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2);
}

export function isNoise(
  path: string,
  count: number,
  pairs: number,
  aaCount: number,
  aaPairs: number,
): boolean {
  if (path === "/error" || aaPairs === 0 || pairs === 0) return false;
  return newcombeDifferenceLow(count, pairs, aaCount, aaPairs) <= 0;
}

/** Judges every path the candidate differs on; without an A/A tally nothing is noise. */
export function judgePaths(candidate: PathTally, aa: PathTally | null): PathVerdict[] {
  const verdicts: PathVerdict[] = [];
  for (const [path, count] of candidate.counts) {
    const aaCount = aa?.counts.get(path) ?? 0;
    const aaPairs = aa?.pairs ?? 0;
    verdicts.push({
      path,
      count,
      rate: candidate.pairs === 0 ? 0 : count / candidate.pairs,
      aaCount,
      aaRate: aaPairs === 0 ? 0 : aaCount / aaPairs,
      noise: isNoise(path, count, candidate.pairs, aaCount, aaPairs),
    });
  }
  return verdicts.sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : 1));
}
