import type { ResolvedJudge } from "../contracts/judge.js";
import type { PricingTable } from "../contracts/pricing.js";
import { readCachedVerdicts, readUnjudgedPairs, writeJudgements } from "../store/judgements.js";
import type { Store } from "../store/store.js";
import { type JudgementStore, type JudgeSettings, JudgeStage } from "./judge-stage.js";
import type { JudgeSummary } from "./judge-summary.js";

/** Pairs read per page: ~2 raw records each, so a page stays a few MB however large the store. */
const PAGE_SIZE = 200;

/** The store's judgements table as the judge stage's port. */
export function storeJudgements(store: Store): JudgementStore {
  return {
    cached: (judgeRelease, keys) => readCachedVerdicts(store, judgeRelease, keys),
    write: (rows) => writeJudgements(store, rows),
  };
}

export interface JudgeStoredOptions {
  readonly store: Store;
  readonly judge: ResolvedJudge;
  /** The candidate release id (an A/A run is judged under the baseline's id). */
  readonly candidate: string;
  readonly settings: JudgeSettings;
  readonly pricing: PricingTable;
  readonly onProgress?: (summary: JudgeSummary) => void;
  /** Stops after the page in hand (SIGTERM); what was judged is written. */
  readonly signal?: AbortSignal;
}

/**
 * `shadowdiff judge`: every stored pair of the candidate in the judge's categories that holds no
 * judgement by this judge release, page by page in key order. Running it again finds nothing to
 * judge and calls the model zero times; a new judge release judges every pair again (from the
 * cache where its texts were seen).
 */
export async function judgeStoredPairs(
  options: JudgeStoredOptions,
): Promise<{ summary: JudgeSummary; stopped: boolean }> {
  const stage = new JudgeStage(
    options.judge,
    options.settings,
    options.pricing,
    storeJudgements(options.store),
  );
  const version = Date.now();
  let after: { requestId: string; replica: number } | undefined;
  for (;;) {
    if (options.signal?.aborted) return { summary: stage.summary, stopped: true };
    const page = await readUnjudgedPairs(options.store, {
      candidate: options.candidate,
      judgeRelease: options.judge.release.id,
      categories: options.judge.categories,
      pageSize: PAGE_SIZE,
      ...(after === undefined ? {} : { after }),
    });
    const last = page.at(-1);
    if (last === undefined) break;
    await stage.judgePairs(page, version);
    options.onProgress?.(stage.summary);
    after = { requestId: last.request_id, replica: last.replica };
  }
  return { summary: stage.summary, stopped: false };
}
