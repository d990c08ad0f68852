import { binomialCdf } from "./binomial.js";

/**
 * Exact McNemar test on the discordant pairs of a paired binary outcome: `b` pairs went 1 → 0 and
 * `c` went 0 → 1. Under no change each discordant pair goes either way with probability 1/2, so
 * p = min(1, 2 · P(X ≤ min(b, c))) with X ~ Binomial(b + c, 1/2), the convention of statsmodels'
 * `mcnemar(exact=True)`. No discordant pairs: p = 1.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
}
