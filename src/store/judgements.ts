import type { PairCategory } from "../contracts/categories.js";
import type { JudgeVerdict } from "../contracts/judge.js";
import type { JudgementRow } from "../contracts/judgement-row.js";
import type { PairRow } from "../contracts/pair-row.js";
import { sqlIdentifier, sqlNumber, sqlString, sqlTuple } from "./sql.js";
import type { Store } from "./store.js";

/** A stored pair the judge has yet to see, with what it needs: both raw records (`raw`). */
export type UnjudgedPair = Pick<
  PairRow,
  | "candidate_release"
  | "baseline_release"
  | "request_id"
  | "replica"
  | "ts"
  | "label_keys"
  | "label_values"
  | "category"
  | "raw"
>;

export interface UnjudgedQuery {
  readonly candidate: string;
  readonly judgeRelease: string;
  readonly categories: readonly PairCategory[];
  /** Keyset position: pairs after this (request id, replica), in key order. */
  readonly after?: { readonly requestId: string; readonly replica: number };
  readonly pageSize: number;
}

/**
 * One page of the candidate's pairs in the judged categories that hold no judgement by this judge
 * release, in key order. Pages by key rather than OFFSET: pairs the judge skips (budget, a
 * provider failure) stay unjudged, and an OFFSET would then skip or repeat others.
 */
export async function readUnjudgedPairs(store: Store, query: UnjudgedQuery): Promise<UnjudgedPair[]> {
  const db = sqlIdentifier(store.database);
  const candidate = sqlString(query.candidate);
  const after =
    query.after === undefined
      ? ""
      : `\n  AND (request_id > ${sqlString(query.after.requestId)} OR (request_id = ${sqlString(query.after.requestId)} AND replica > ${sqlNumber(query.after.replica)}))`;
  const rows = await store.query<Record<string, unknown>>(
    `SELECT candidate_release, baseline_release, request_id, replica, toUInt32(ts) AS ts, label_keys, label_values, category, raw
FROM ${db}.pairs FINAL
WHERE candidate_release = ${candidate} AND category IN ${sqlTuple(query.categories)}
  AND (request_id, replica) NOT IN (
    SELECT request_id, replica FROM ${db}.judgements
    WHERE candidate_release = ${candidate} AND judge_release = ${sqlString(query.judgeRelease)}
  )${after}
ORDER BY request_id, replica
LIMIT ${sqlNumber(query.pageSize)}`,
  );
  return rows.map((row) => ({
    candidate_release: String(row.candidate_release),
    baseline_release: String(row.baseline_release),
    request_id: String(row.request_id),
    replica: Number(row.replica),
    ts: Number(row.ts),
    label_keys: (row.label_keys as string[]) ?? [],
    label_values: (row.label_values as string[]) ?? [],
    category: String(row.category) as PairCategory,
    raw: String(row.raw),
  }));
}

/** A verdict stored under a cache key, reusable for any pair with the same texts. */
export interface CachedVerdict {
  readonly verdict: JudgeVerdict;
  readonly inconsistent: number;
  readonly baseline_first: JudgeVerdict;
  readonly candidate_first: JudgeVerdict;
  readonly reason: string;
}

/** The stored verdicts of this judge release for these cache keys (one per key, the latest). */
export async function readCachedVerdicts(
  store: Store,
  judgeRelease: string,
  keys: readonly string[],
): Promise<Map<string, CachedVerdict>> {
  if (keys.length === 0) return new Map();
  const rows = await store.query<Record<string, unknown>>(
    `SELECT cache_key, verdict, inconsistent, baseline_first, candidate_first, reason
FROM ${sqlIdentifier(store.database)}.judgements
WHERE judge_release = ${sqlString(judgeRelease)} AND cache_key IN ${sqlTuple([...new Set(keys)])}
ORDER BY cache_key, version DESC
LIMIT 1 BY cache_key`,
  );
  return new Map(
    rows.map((row) => [
      String(row.cache_key),
      {
        verdict: String(row.verdict) as JudgeVerdict,
        inconsistent: Number(row.inconsistent),
        baseline_first: String(row.baseline_first) as JudgeVerdict,
        candidate_first: String(row.candidate_first) as JudgeVerdict,
        reason: String(row.reason),
      },
    ]),
  );
}

/** Judgements replace by (pair, judge release): writing a batch again changes no report. */
export async function writeJudgements(store: Store, rows: readonly JudgementRow[]): Promise<void> {
  if (rows.length > 0) await store.insertRows("judgements", rows);
}
