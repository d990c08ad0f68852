/** Pure statistics for the drift report: no I/O, no dependencies. */
export { type BcaInterval, bcaBootstrapMeanInterval } from "./bca-bootstrap.js";
export { benjaminiHochberg } from "./benjamini-hochberg.js";
export {
  betaBinomialMixtureBounds,
  betaBinomialMixtureCountRange,
  type CountRange,
  MIXING_PRIOR,
} from "./beta-binomial-mixture.js";
export { binomialCdf, binomialLogPmf, binomialPmf, binomialSurvival } from "./binomial.js";
export {
  type BootstrapOptions,
  bootstrapMeanInterval,
  bootstrapMedianInterval,
  mulberry32,
  ratioInterval,
} from "./bootstrap.js";
export { clopperPearsonBounds, type RateBounds } from "./clopper-pearson.js";
export { dkwHalfWidth, inverseEcdf } from "./ecdf.js";
export { fiellerBounds } from "./fieller.js";
export { holmAdjust } from "./holm.js";
export { type Interval, twoSidedCriticalValue } from "./interval.js";
export { logChoose, logGamma, stirlingError } from "./log-gamma.js";
export {
  mcnemarExact,
  type PairedBinaryTest,
  type PairedTable,
  pairedBinaryTest,
  pairedRateDifference,
} from "./mcnemar.js";
export type { BetaPrior } from "./mixture-likelihood.js";
export { normalCdf, normalQuantile, normalSurvival } from "./normal.js";
export { normalMixtureHalfWidth } from "./normal-mixture.js";
export {
  type OrderStatisticRanks,
  orderStatisticRanks,
  sequentialOrderStatisticRanks,
} from "./order-statistics.js";
export type { PairedMoments } from "./paired-moments.js";
export { mean, median, quantile, quantileOfSorted } from "./quantile.js";
export { type HalfWidth, ratioBoundsByRoot } from "./ratio-by-root.js";
export { differenceSkewness, skewCorrectedCriticalValues, type ThirdMoments } from "./ratio-skewness.js";
export { type SignedRankOptions, type SignedRankResult, wilcoxonSignedRank } from "./wilcoxon.js";
export {
  type NoTrials,
  type ObservedRate,
  type RateInterval,
  wilsonBoundsAt,
  wilsonInterval,
} from "./wilson.js";
