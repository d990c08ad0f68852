import { benjaminiHochberg } from "../stats/benjamini-hochberg.js";
import { normalSurvival } from "../stats/normal.js";
import { wilsonBoundsAt } from "../stats/wilson.js";
import { isBehaviouralPath, pathKind } from "./path-kind.js";

/**
 * The noise floor, per path. LLMs are nondeterministic, so a difference means nothing until it
 * exceeds what the baseline does against itself. An A/A capture (the baseline release run again
 * on the same requests) gives, per differing path, how often the baseline disagrees with itself.
 *
 * Rule: a behavioural path is **noise** unless its candidate difference rate clearly exceeds its
 * A/A rate. "Clearly" is a one-sided test of rate(candidate) − rate(A/A) > 0 whose p value is the
 * level at which the Newcombe hybrid-score lower bound (Newcombe 1998, method 10) reaches zero,
 * with Benjamini–Hochberg across the judged paths of each kind (refusal, outcome, sequence,
 * arguments) at a false-discovery rate of 2.5%, so a report listing fifty argument paths does not
 * find one "real" by chance. With a single path this is exactly the
 * old rule (the 95% two-sided lower bound above zero). The two rates are treated as independent
 * although both runs answer the same requests; that ignores a positive correlation and so errs
 * toward calling a path noise.
 *
 * This screening explains *which* paths moved and gives the categories people read net of noise;
 * it never decides the gate, whose drift is a net estimate over requests (analyze/net-drift).
 * Text (`/output`) and failures (`/error`) are not judged: wording never counts as drift, and a
 * failure is reported apart from behaviour and never explained away.
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
  /** false for text and error paths, and for every path without an A/A run. */
  readonly judged: boolean;
  /** Benjamini–Hochberg-adjusted one-sided p of the excess over the A/A rate; null when not judged. */
  readonly pAdjusted: number | null;
  readonly noise: boolean;
}

/** The false-discovery rate of the path screening (one-sided, as the old 95% two-sided bound). */
export const NOISE_FDR = 0.025;

/** Lower bound of the Newcombe hybrid-score interval for p1 − p2 (independent samples) at z. */
export function newcombeDifferenceLow(
  count1: number,
  trials1: number,
  count2: number,
  trials2: number,
  z = 1.959963984540054,
): number {
  const p1 = count1 / trials1;
  const p2 = count2 / trials2;
  const low1 = wilsonBoundsAt(count1, trials1, z).low;
  const high2 = wilsonBoundsAt(count2, trials2, z).high;
  return p1 - p2 - Math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2);
}

/**
 * One-sided p value of "the candidate differs on this path more often than the A/A run": the
 * tail beyond the z at which the Newcombe lower bound crosses zero (the bound falls as z grows).
 */
export function excessPValue(count: number, pairs: number, aaCount: number, aaPairs: number): number {
  if (pairs === 0 || aaPairs === 0 || count / pairs <= aaCount / aaPairs) return 1;
  let low = 0;
  let high = 40;
  if (newcombeDifferenceLow(count, pairs, aaCount, aaPairs, high) > 0) return 0;
  for (let step = 0; step < 100 && high - low > 1e-12; step++) {
    const middle = (low + high) / 2;
    if (newcombeDifferenceLow(count, pairs, aaCount, aaPairs, middle) > 0) low = middle;
    else high = middle;
  }
  return normalSurvival((low + high) / 2);
}

/** Single-path form of the rule (no other path to adjust across). */
export function isNoise(
  path: string,
  count: number,
  pairs: number,
  aaCount: number,
  aaPairs: number,
): boolean {
  if (!isBehaviouralPath(path) || aaPairs === 0 || pairs === 0) return false;
  return excessPValue(count, pairs, aaCount, aaPairs) > NOISE_FDR;
}

/** Judges every path the candidate differs on; without an A/A tally nothing is noise. */
export function judgePaths(candidate: PathTally, aa: PathTally | null): PathVerdict[] {
  const aaPairs = aa?.pairs ?? 0;
  const rows = [...candidate.counts].map(([path, count]) => {
    const aaCount = aa?.counts.get(path) ?? 0;
    const judged = aaPairs > 0 && candidate.pairs > 0 && isBehaviouralPath(path);
    return {
      path,
      count,
      aaCount,
      judged,
      p: judged ? excessPValue(count, candidate.pairs, aaCount, aaPairs) : 1,
    };
  });
  // One family per kind of path (refusal, outcome, sequence, arguments): each kind is its own
  // question, and a lone refusal path is not diluted by fifty argument keys.
  const adjustedOf = new Map<string, number>();
  const families = new Map<string, typeof rows>();
  for (const row of rows) {
    if (!row.judged) continue;
    const family = families.get(pathKind(row.path)) ?? [];
    family.push(row);
    families.set(pathKind(row.path), family);
  }
  for (const family of families.values()) {
    const adjusted = benjaminiHochberg(family.map((row) => row.p));
    family.forEach((row, index) => {
      adjustedOf.set(row.path, adjusted[index] ?? 1);
    });
  }
  return rows
    .map((row): PathVerdict => {
      const pAdjusted = adjustedOf.get(row.path) ?? null;
      return {
        path: row.path,
        count: row.count,
        rate: candidate.pairs === 0 ? 0 : row.count / candidate.pairs,
        aaCount: row.aaCount,
        aaRate: aaPairs === 0 ? 0 : row.aaCount / aaPairs,
        judged: row.judged,
        pAdjusted,
        noise: pAdjusted !== null && pAdjusted > NOISE_FDR,
      };
    })
    .sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : 1));
}
