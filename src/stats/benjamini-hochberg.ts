/**
 * Benjamini–Hochberg step-up adjusted p-values (Benjamini & Hochberg 1995, J. R. Stat. Soc. B
 * 57:289), in input order: the i-th smallest of m p-values becomes min over j >= i of
 * p₍ⱼ₎·m/j, capped at 1, so the adjusted values are monotone in the raw ones. Rejecting every
 * adjusted p <= q controls the false discovery rate at q for independent or positively dependent
 * tests (Benjamini & Yekutieli 2001), a gentler promise than Holm's family-wise error, suited to
 * flagging many segments for a look rather than to blocking a release. Same values as statsmodels
 * `multipletests(p, method="fdr_bh")[1]`.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  pValues.forEach((p, index) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`pValues[${index}] must be a p-value in [0, 1], got ${p}`);
  });
  const m = pValues.length;
  const ascending = pValues
    .map((_, index) => index)
    .sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const adjusted = new Array<number>(m);
  let runningMin = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = ascending[rank - 1] as number;
    // p / (rank / m), as statsmodels forms it, so the two agree to the last digit.
    runningMin = Math.min(runningMin, (pValues[index] as number) / (rank / m));
    adjusted[index] = runningMin;
  }
  return adjusted;
}
