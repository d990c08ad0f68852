import { assertSuccesses } from "./arguments.js";
import { normalSurvival } from "./normal.js";

/**
 * One-sided p-value that rate 1 exceeds rate 2 (H0: p1 <= p2 against p1 > p2) for two independent
 * samples, e.g. a candidate's error rate on fresh traffic against the baseline's on other traffic,
 * by the pooled two-proportion z-test: z = (p̂1 − p̂2) / √(p̄(1 − p̄)(1/n1 + 1/n2)) with p̄ the
 * pooled rate, p = P(Z > z). The same as statsmodels `proportions_ztest([c1, c2], [n1, n2],
 * alternative="larger")`; statsmodels' `test_proportions_2indep(method="score")` differs by
 * default, multiplying the variance by N/(N − 1) (Miettinen & Nurminen 1985), and equals this with
 * `correction=False`.
 *
 * Without variation there is nothing to test and p is 1: either sample empty, or the pooled rate 0
 * (no events at all) or 1 (events everywhere), where the observed difference is 0 and the z
 * statistic 0/0.
 */
export function twoProportionExcessP(
  count1: number,
  trials1: number,
  count2: number,
  trials2: number,
): number {
  assertSuccesses(count1, trials1, "count1", "trials1");
  assertSuccesses(count2, trials2, "count2", "trials2");
  if (trials1 === 0 || trials2 === 0) return 1;
  const pooled = (count1 + count2) / (trials1 + trials2);
  if (pooled === 0 || pooled === 1) return 1;
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / trials1 + 1 / trials2));
  return normalSurvival((count1 / trials1 - count2 / trials2) / standardError);
}
