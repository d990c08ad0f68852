/**
 * Quantile with linear interpolation between order statistics: Hyndman & Fan type 7, the
 * default of numpy.quantile and R's quantile, h = (n − 1)·q.
 */
export function quantile(values: readonly number[], q: number): number {
  return quantileOfSorted(sortedCopy(values), q);
}

/** `quantile` for values already in ascending order (no copy, no sort). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError("the quantile of an empty sample is undefined");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile level must be in [0, 1], got ${q}`);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  if (below === position) return low;
  const high = sorted[below + 1] as number;
  return low + (high - low) * (position - below);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Arithmetic mean, summed with Neumaier compensation so long samples do not drift. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError("the mean of an empty sample is undefined");
  let sum = 0;
  let compensation = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as number;
    const next = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return (sum + compensation) / values.length;
}

function sortedCopy(values: readonly number[]): Float64Array {
  for (const value of values) {
    if (Number.isNaN(value)) throw new RangeError("cannot order a sample that contains NaN");
  }
  return Float64Array.from(values).sort();
}
