/**
 * Holm–Bonferroni step-down adjusted p-values (Holm 1979), returned in input order: the i-th
 * smallest p is multiplied by (m − i + 1), a running maximum keeps the adjusted values monotone
 * in the raw ones, and they are capped at 1. Controls the family-wise error across segments and
 * metrics without assuming the tests are independent. Same values as statsmodels
 * `multipletests(p, method="holm")[1]`.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`a p-value must be in [0, 1], got ${p}`);
  }
  const m = pValues.length;
  const ascending = pValues
    .map((_, index) => index)
    .sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const adjusted = new Array<number>(m);
  let runningMax = 0;
  ascending.forEach((index, rank) => {
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * (pValues[index] as number)));
    adjusted[index] = runningMax;
  });
  return adjusted;
}
