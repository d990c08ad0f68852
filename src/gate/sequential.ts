/**
 * Always-valid confidence sequences for a mean, from the mixture sequential probability ratio
 * test (mSPRT) with a normal mixing distribution N(0, τ²) (Robbins 1970; Johari, Pekelis & Walsh,
 * "Always valid inference", 2017). With n observations of mean x̄ and variance σ², the set
 *
 *   x̄ ± sqrt( 2 σ² (σ² + nτ²) / (n² τ²) · log( sqrt((σ² + nτ²) / σ²) / α ) )
 *
 * covers the true mean at every n simultaneously with probability ≥ 1 − α, so a gate may look
 * after every batch — every minute of a canary — without raising its false-alarm rate, unlike a
 * fixed-sample interval re-computed at each look. σ² is the running sample variance (plug-in),
 * which is why a few dozen observations are required before the first decision.
 */
export interface SequentialInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export const MIN_SEQUENTIAL_N = 30;

export function confidenceSequence(
  sum: number,
  sumOfSquares: number,
  n: number,
  options: { readonly alpha?: number; readonly tau?: number } = {},
): SequentialInterval | undefined {
  if (n < MIN_SEQUENTIAL_N) return undefined;
  const alpha = options.alpha ?? 0.05;
  const mean = sum / n;
  // Population variance floored away from 0, so an all-equal start does not give a zero width.
  const variance = Math.max(sumOfSquares / n - mean * mean, 1 / (4 * n));
  const tau2 = (options.tau ?? 0.1) ** 2;
  const spread = variance + n * tau2;
  const halfWidth = Math.sqrt(
    ((2 * variance * spread) / (n * n * tau2)) * Math.log(Math.sqrt(spread / variance) / alpha),
  );
  return { estimate: mean, low: mean - halfWidth, high: mean + halfWidth };
}
