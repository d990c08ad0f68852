/**
 * The noise floor. LLMs are nondeterministic, so a difference means nothing until it exceeds
 * what the baseline does against itself. An A/A capture (the baseline release run again on the
 * same requests) gives, per differing path, how often the baseline disagrees with itself.
 *
 * Rule (Diffy's primary/secondary idea, made statistical): a path is **noise** when the lower
 * bound of the 95% Wilson interval of its candidate difference rate does not exceed the upper
 * bound of the 95% Wilson interval of its A/A rate. Only a candidate rate that is clearly above
 * the floor, with both sample sizes accounted for, counts as drift. `/error` is never noise:
 * failures are reported apart from behaviour and never explained away.
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

export function isNoise(
  path: string,
  count: number,
  pairs: number,
  aaCount: number,
  aaPairs: number,
): boolean {
  if (path === "/error" || aaPairs === 0) return false;
  return wilsonBounds(count, pairs).low <= wilsonBounds(aaCount, aaPairs).high;
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
