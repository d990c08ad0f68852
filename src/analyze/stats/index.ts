export { binomialCdf, logChoose, logGamma } from "./binomial.js";
export { bootstrapMeanInterval, mulberry32 } from "./bootstrap.js";
export { holmAdjust } from "./holm.js";
export { mcnemarExact } from "./mcnemar.js";
export { erfc, normalCdf, normalQuantile, normalSurvival } from "./normal.js";
export { mean, median, quantile } from "./quantile.js";
export { type SignedRankResult, wilcoxonSignedRank } from "./wilcoxon.js";
export { type Interval, wilsonInterval } from "./wilson.js";
