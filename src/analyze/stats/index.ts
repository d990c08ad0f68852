/** Pure statistics for the drift report: no I/O, no dependencies. */
export { binomialCdf, binomialLogPmf, binomialPmf, binomialSurvival } from "./binomial.js";
export {
  type BootstrapOptions,
  bootstrapMeanInterval,
  bootstrapMedianInterval,
  mulberry32,
  ratioInterval,
} from "./bootstrap.js";
export { dkwHalfWidth, inverseEcdf } from "./ecdf.js";
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
export { normalCdf, normalQuantile, normalSurvival } from "./normal.js";
export { mean, median, quantile, quantileOfSorted } from "./quantile.js";
export { type SignedRankOptions, type SignedRankResult, wilcoxonSignedRank } from "./wilcoxon.js";
export { type NoTrials, type ObservedRate, type RateInterval, wilsonInterval } from "./wilson.js";
