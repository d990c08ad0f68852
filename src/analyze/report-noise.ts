import { emptyCategoryCounts, type PairCategory } from "../diff/category.js";
import { netCategory } from "../diff/net-category.js";
import { judgePaths, type PathTally } from "../diff/noise-floor.js";
import type { PathsetCount } from "./report-aggregate.js";
import type { PathRow } from "./report-types.js";

export interface NoiseJudgement {
  readonly aaPairs: number;
  readonly noisePaths: readonly string[];
  readonly paths: readonly PathRow[];
}

/**
 * Per-path counts of the candidate (from its path sets) against the A/A pairs' counts, judged by
 * the noise rule of diff/noise-floor.ts — the same function `shadowdiff diff` uses, so a report
 * and a diff of the same captures name the same noise paths.
 */
export function judgeNoise(
  pathsets: readonly PathsetCount[],
  aa: PathTally | null,
  topPaths: number,
): NoiseJudgement {
  const counts = new Map<string, number>();
  let pairs = 0;
  for (const pathset of pathsets) {
    pairs += pathset.count;
    for (const path of pathset.paths) counts.set(path, (counts.get(path) ?? 0) + pathset.count);
  }
  const aaPairs = aa?.pairs ?? 0;
  const verdicts = judgePaths({ pairs, counts }, aaPairs === 0 ? null : aa);
  return {
    aaPairs,
    noisePaths: verdicts
      .filter((verdict) => verdict.noise)
      .map((verdict) => verdict.path)
      .sort(),
    paths: verdicts.slice(0, topPaths).map((verdict) => ({
      path: verdict.path,
      count: verdict.count,
      rate: verdict.rate,
      aa_rate: aaPairs === 0 ? null : verdict.aaRate,
      excess: aaPairs === 0 ? null : verdict.rate - verdict.aaRate,
      p_adjusted: verdict.pAdjusted,
      judged: verdict.judged,
      noise: verdict.noise,
    })),
  };
}

/** Each path set's category net of the noise paths, by path-set key. */
export function netCategoryByKey(
  pathsets: readonly PathsetCount[],
  noisePaths: ReadonlySet<string>,
): Map<string, PairCategory> {
  return new Map(
    pathsets.map((pathset) => [pathset.key, netCategory(pathset.category, pathset.paths, noisePaths)]),
  );
}

/** Category counts net of noise: every pair counted under its path set's net category. */
export function netCategories(
  pathsets: readonly PathsetCount[],
  noisePaths: ReadonlySet<string>,
): Record<PairCategory, number> {
  const counts = emptyCategoryCounts();
  for (const pathset of pathsets)
    counts[netCategory(pathset.category, pathset.paths, noisePaths)] += pathset.count;
  return counts;
}
