export { type Alignment, alignSteps } from "./alignment.js";
export { argumentsMatch } from "./argument-match.js";
export { maximumMatching } from "./bipartite.js";
export { DRIFT_CATEGORIES, emptyCategoryCounts, PAIR_CATEGORIES, type PairCategory } from "./category.js";
export { isNoise, judgePaths, type PathTally, type PathVerdict } from "./noise-floor.js";
export { diffPair, type PairDiff } from "./pair-diff.js";
export { DiffTally, type DriftSummary, type Example, type ToolCallTotals } from "./tally.js";
export { matchTrajectory, type TrajectoryResult, type TrajectoryVerdict } from "./trajectory.js";
export { describeDifference, diffValues, isSubsetOf, valuesEqual } from "./value-diff.js";
