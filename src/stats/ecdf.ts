/**
 * Empirical distribution functions from a sample, for plotting: the inverse ECDF at chosen levels
 * (order statistic ⌈p·n⌉, Hyndman & Fan type 1, so every plotted value was observed), and the
 * Dvoretzky–Kiefer–Wolfowitz band, which bounds how far the whole sampled curve can be from the
 * true one: P(sup |F̂ₙ − F| > ε) ≤ 2·exp(−2nε²), with Massart's tight constant.
 */
export function inverseEcdf(values: readonly number[], levels: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError("the distribution of an empty sample is undefined");
  const sorted = Float64Array.from(values).sort();
  return levels.map((level) => {
    if (!(level >= 0 && level <= 1)) throw new RangeError(`a level must be in [0, 1], got ${level}`);
    const rank = Math.max(1, Math.ceil(level * sorted.length));
    return sorted[rank - 1] as number;
  });
}

/** Half-width ε of the DKW confidence band for a sample of `n` at `confidence`. */
export function dkwHalfWidth(n: number, confidence: number): number {
  if (!(n > 0)) throw new RangeError("a band needs at least one observation");
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return Math.sqrt(Math.log(2 / (1 - confidence)) / (2 * n));
}
