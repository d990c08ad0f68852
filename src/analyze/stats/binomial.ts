/**
 * Exact binomial tail probabilities, summed in log space so that n in the millions neither
 * overflows nor underflows. The log-gamma is Lanczos (g = 7, n = 9), accurate to ~1e-15.
 */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = LANCZOS[0] as number;
  for (let index = 1; index < 9; index++) sum += (LANCZOS[index] as number) / (shifted + index);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  // Sum from the largest term down (log-sum-exp), so no term underflows to nothing first.
  const terms: number[] = [];
  for (let i = 0; i <= k; i++) terms.push(logChoose(n, i) + i * logP + (n - i) * logQ);
  const top = Math.max(...terms);
  let sum = 0;
  for (const term of terms) sum += Math.exp(term - top);
  return Math.min(1, Math.exp(top + Math.log(sum)));
}
