/** What a judge run did, counted: the closing summary of `judge` and `run --judge`. */
export interface JudgeSummary {
  /** Pairs offered to the judge (in its categories, lacking its judgement). */
  considered: number;
  sampledOut: number;
  /** Judgements written from model calls, and from the cache (no calls). */
  judged: number;
  cached: number;
  better: number;
  worse: number;
  same: number;
  inconsistent: number;
  unparseable: number;
  skippedBudget: number;
  skippedCircuit: number;
  skippedLimit: number;
  /** Pairs whose judge calls failed after retries (left unjudged, so a later run tries again). */
  failed: number;
  /** The last failure's message (scrubbed), so a failing judge says why instead of only counting. */
  lastFailure?: string;
  modelCalls: number;
  spentUsd: number;
}

export function emptyJudgeSummary(): JudgeSummary {
  return {
    considered: 0,
    sampledOut: 0,
    judged: 0,
    cached: 0,
    better: 0,
    worse: 0,
    same: 0,
    inconsistent: 0,
    unparseable: 0,
    skippedBudget: 0,
    skippedCircuit: 0,
    skippedLimit: 0,
    failed: 0,
    modelCalls: 0,
    spentUsd: 0,
  };
}
