import type { ShadowdiffError } from "../contracts/errors.js";
import { pairKey } from "../contracts/exchange.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules, TrajectoryMode } from "../contracts/rules.js";
import { DRIFT_CATEGORIES, type PairCategory } from "../diff/category.js";
import { behaviourDiffers, type NetDriftCounts, NetDriftTally, netDriftEstimate } from "../diff/net-drift.js";
import type { PathTally, PathVerdict } from "../diff/noise-floor.js";
import { DiffTally, type Example, type ToolCallTotals } from "../diff/tally.js";
import { PairDiffer } from "../pairing/pair-differ.js";
import { type PairingKey, pairCaptureFiles } from "../sources/capture-pairs.js";

export interface DiffCapturesOptions {
  readonly baseline: string;
  readonly candidate: string;
  /** An A/A capture: the baseline release re-run on the same requests. */
  readonly noise?: string;
  readonly rules: DiffRules;
  readonly mode?: TrajectoryMode;
  /** How candidate records find their baseline: `id-and-replica` (default) or `id` (A/A captures). */
  readonly pairBy?: PairingKey;
  readonly releases?: readonly ResolvedRelease[];
  readonly maxReportedInvalid?: number;
  readonly onProgress?: (progress: { readonly phase: "noise" | "diff"; readonly pairs: number }) => void;
  /** Called once per candidate pair, in file order (golden tests, pair listings). */
  readonly onPair?: (pair: PairVerdict) => void;
}

export interface PairVerdict {
  readonly key: string;
  readonly category: PairCategory;
  readonly reason: string;
}

export interface InvalidLine {
  readonly source: string;
  readonly line: number;
  readonly id?: string;
  readonly path?: string;
  readonly code: string;
  readonly message: string;
}

export interface DiffCapturesResult {
  readonly mode: TrajectoryMode;
  readonly pairs: number;
  /** Net of the A/A noise floor when there is one (see diff/net-category.ts); raw otherwise. */
  readonly categories: Record<PairCategory, number>;
  /** As classified pair by pair, before the noise floor. */
  readonly categories_raw: Record<PairCategory, number>;
  readonly drift: {
    /** Pairs in a drift category net of the noise floor. */
    readonly pairs: number;
    readonly rate: number;
    readonly by_category: Record<PairCategory, number>;
    /**
     * The gate's estimand: mean(candidate differs) − mean(A/A differs) over requests where no
     * side failed; null without an A/A capture. Counts behind it in `counts`.
     */
    readonly net: number | null;
    readonly counts: NetDriftCounts;
  };
  /** Raw drift pairs whose every behavioural path is within the A/A noise floor. */
  readonly noise_only: number;
  readonly unpaired: { readonly baseline: number; readonly candidate: number };
  readonly invalid: number;
  readonly invalid_lines: readonly InvalidLine[];
  readonly noise: { readonly pairs: number; readonly unpaired: number } | null;
  readonly paths: readonly PathVerdict[];
  readonly noise_paths: readonly PathVerdict[];
  readonly examples: Partial<Record<PairCategory, readonly Example[]>>;
  readonly tool_calls: { readonly baseline: ToolCallTotals; readonly candidate: ToolCallTotals };
}

/**
 * `shadowdiff diff` as a function: streams two captures (and an optional A/A capture), pairs
 * records by id and replica, normalizes and diffs each pair, and returns the totals.
 */
export async function diffCaptures(options: DiffCapturesOptions): Promise<DiffCapturesResult> {
  const differ = new PairDiffer(
    options.mode ? { ...options.rules, trajectory: options.mode } : options.rules,
    options.releases,
  );
  const invalid = new InvalidCollector(options.maxReportedInvalid ?? 50);

  let aa: PathTally | null = null;
  let noise: DiffCapturesResult["noise"] = null;
  const netDrift = new NetDriftTally();
  if (options.noise !== undefined) {
    // The A/A re-run carries replica ≥ 1 of the same request ids: join on the id alone.
    const aaTally = new DiffTally();
    const aaUnpaired = await joinAndDiff(
      options.baseline,
      options.noise,
      "id",
      differ,
      aaTally,
      invalid,
      (pairs) => options.onProgress?.({ phase: "noise", pairs }),
      undefined,
      (id, differs) => netDrift.addAa(id, differs),
    );
    aa = aaTally.pathTally();
    noise = { pairs: aaTally.pairs, unpaired: aaUnpaired.baseline + aaUnpaired.candidate };
  }

  const tally = new DiffTally();
  const unpaired = await joinAndDiff(
    options.baseline,
    options.candidate,
    options.pairBy ?? "id-and-replica",
    differ,
    tally,
    invalid,
    (pairs) => options.onProgress?.({ phase: "diff", pairs }),
    options.onPair,
    (id, differs) => netDrift.addCandidate(id, differs),
  );
  const drift = tally.drift(aa);
  const byCategory = Object.fromEntries(
    Object.entries(drift.categories).map(([category, count]) => [
      category,
      DRIFT_CATEGORIES.has(category as PairCategory) ? count : 0,
    ]),
  ) as Record<PairCategory, number>;
  const driftPairs = Object.values(byCategory).reduce((sum, count) => sum + count, 0);
  const counts = netDrift.counts();
  return {
    mode: differ.rules.trajectory,
    pairs: tally.pairs,
    categories: drift.categories,
    categories_raw: { ...tally.categories },
    drift: {
      pairs: driftPairs,
      rate: tally.pairs === 0 ? 0 : driftPairs / tally.pairs,
      by_category: byCategory,
      net: aa === null ? null : netDriftEstimate(counts),
      counts,
    },
    noise_only: drift.noiseOnly,
    unpaired,
    invalid: invalid.count,
    invalid_lines: invalid.reported,
    noise,
    paths: drift.verdicts.filter((verdict) => !verdict.noise),
    noise_paths: drift.verdicts.filter((verdict) => verdict.noise),
    examples: Object.fromEntries(tally.examples),
    tool_calls: tally.toolCalls,
  };
}

const PROGRESS_EVERY = 10_000;

async function joinAndDiff(
  baselinePath: string,
  candidatePath: string,
  pairing: PairingKey,
  differ: PairDiffer,
  tally: DiffTally,
  invalid: InvalidCollector,
  progress: (pairs: number) => void,
  onPair?: (pair: PairVerdict) => void,
  onDrift?: (requestId: string, differs: boolean | null) => void,
): Promise<{ baseline: number; candidate: number }> {
  const unpaired = { baseline: 0, candidate: 0 };
  for await (const event of pairCaptureFiles(baselinePath, candidatePath, pairing)) {
    if (event.kind === "invalid") invalid.add(event.error);
    else if (event.kind === "unpaired") unpaired[event.side]++;
    else {
      const { baseline, candidate } = event;
      const { baselineTrace, candidateTrace, diff } = differ.diff(baseline, candidate);
      tally.add(baseline.id, diff, baselineTrace, candidateTrace);
      onDrift?.(
        baseline.id,
        behaviourDiffers(diff.category, baselineTrace.error !== null, candidateTrace.error !== null),
      );
      onPair?.({ key: pairKey(candidate), category: diff.category, reason: diff.reason });
      if (tally.pairs % PROGRESS_EVERY === 0) progress(tally.pairs);
    }
  }
  return unpaired;
}

/** Counts every invalid line and keeps the first few for the report. */
class InvalidCollector {
  count = 0;
  readonly reported: InvalidLine[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  add(error: ShadowdiffError): void {
    // The baseline is read once per phase; report each of its bad lines once.
    const where = `${error.context.source}:${error.context.line}`;
    if (this.seen.has(where)) return;
    this.seen.add(where);
    this.count++;
    if (this.reported.length >= this.limit) return;
    const context = error.context;
    this.reported.push({
      source: context.source ?? "",
      line: context.line ?? 0,
      ...(context.recordId === undefined ? {} : { id: context.recordId }),
      ...(context.path === undefined ? {} : { path: context.path }),
      code: error.code,
      message: error.message,
    });
  }
}
