import { DRIFT_CATEGORIES, type PairCategory } from "./category.js";

/**
 * Whether a pair counts toward drift, and whether it differs: the per-request indicator behind the
 * gate's net drift. A pair where either side failed is not a comparison of behaviour (failures are
 * counted under errors), so it is `null`; otherwise it differs when any behavioural path differs
 * (raw, before any noise screening: noise is removed by subtracting the A/A rate, never by
 * screening paths in or out). Wording alone never differs.
 */
export function behaviourDiffers(
  category: PairCategory,
  baselineFailed: boolean,
  candidateFailed: boolean,
): boolean | null {
  if (baselineFailed || candidateFailed || category === "candidate_error") return null;
  return DRIFT_CATEGORIES.has(category);
}

/**
 * Counts for net drift = mean(d_C) − mean(d_A): the candidate's pairs, the A/A pairs, and the
 * paired 2×2 table over the requests both have. `d_C` is the candidate's indicator, `d_A` the A/A
 * replica's for the same request.
 */
export interface NetDriftCounts {
  /** Candidate pairs where neither side failed, and those that differ. */
  readonly pairs: number;
  readonly differing: number;
  /** A/A pairs where neither side failed, and those that differ. */
  readonly aaPairs: number;
  readonly aaDiffering: number;
  /** Requests with both an eligible candidate pair and an eligible A/A pair. */
  readonly matched: {
    readonly both: number;
    readonly candidateOnly: number;
    readonly aaOnly: number;
    readonly neither: number;
  };
}

/** Running net-drift counts for a file pipeline: the A/A indicators are kept per request id. */
export class NetDriftTally {
  private readonly aa = new Map<string, boolean>();
  private pairs = 0;
  private differing = 0;
  private readonly matched = { both: 0, candidateOnly: 0, aaOnly: 0, neither: 0 };

  /** An A/A pair; the first replica of a request is the one compared (replica order of the file). */
  addAa(requestId: string, differs: boolean | null): void {
    if (differs === null || this.aa.has(requestId)) return;
    this.aa.set(requestId, differs);
  }

  addCandidate(requestId: string, differs: boolean | null): void {
    if (differs === null) return;
    this.pairs++;
    if (differs) this.differing++;
    const aa = this.aa.get(requestId);
    if (aa === undefined) return;
    if (differs && aa) this.matched.both++;
    else if (differs) this.matched.candidateOnly++;
    else if (aa) this.matched.aaOnly++;
    else this.matched.neither++;
  }

  counts(): NetDriftCounts {
    let aaDiffering = 0;
    for (const differs of this.aa.values()) if (differs) aaDiffering++;
    return {
      pairs: this.pairs,
      differing: this.differing,
      aaPairs: this.aa.size,
      aaDiffering,
      matched: { ...this.matched },
    };
  }
}

/**
 * The A/A run "covers the same requests" when it has a completed pair for at least this share of
 * the candidate's completed pairs; then the paired estimate over those requests is used (the same
 * mean over the same requests), otherwise two independent rates. Decided by coverage alone, never
 * by which interval is narrower.
 */
export const PAIRED_COVERAGE = 0.9;

export function netDriftMethod(counts: NetDriftCounts): "paired" | "independent" {
  const { both, candidateOnly, aaOnly, neither } = counts.matched;
  const matched = both + candidateOnly + aaOnly + neither;
  return matched > 0 && matched >= PAIRED_COVERAGE * counts.pairs ? "paired" : "independent";
}

/** The net drift point estimate the report and the gate use (null without A/A pairs). */
export function netDriftEstimate(counts: NetDriftCounts): number | null {
  if (counts.pairs === 0) return null;
  if (netDriftMethod(counts) === "paired") {
    const { both, candidateOnly, aaOnly, neither } = counts.matched;
    return (candidateOnly - aaOnly) / (both + candidateOnly + aaOnly + neither);
  }
  return counts.aaPairs === 0 ? null : counts.differing / counts.pairs - counts.aaDiffering / counts.aaPairs;
}
