import type { Interval } from "./wilson.js";

export interface BootstrapOptions {
  readonly resamples?: number;
  readonly confidence?: number;
  /** Fixed seed: the same sample always gives the same interval, so reports are reproducible. */
  readonly seed: number;
}

/**
 * Percentile bootstrap interval of the mean (Efron & Tibshirani 1993, ch. 13). Used on per-pair
 * log ratios: the mean log ratio, exponentiated, is the geometric-mean ratio of candidate to
 * baseline. The generator is mulberry32, seeded, so results repeat exactly.
 */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions): Interval {
  const n = values.length;
  if (n === 0) return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN };
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const random = mulberry32(options.seed);
  let total = 0;
  for (const value of values) total += value;
  const means = new Float64Array(resamples);
  for (let round = 0; round < resamples; round++) {
    let sum = 0;
    for (let draw = 0; draw < n; draw++) sum += values[Math.floor(random() * n)] as number;
    means[round] = sum / n;
  }
  means.sort();
  const alpha = (1 - confidence) / 2;
  return { estimate: total / n, low: percentile(means, alpha), high: percentile(means, 1 - alpha) };
}

function percentile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  return low + ((sorted[above] as number) - low) * (position - below);
}

/** mulberry32: a small, fast 32-bit generator with good statistical quality for resampling. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
