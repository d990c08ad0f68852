import type { Store } from "../store/store.js";
import { judgeCountsSql, judgedExamplesSql, latestJudgeSql } from "./judge-queries.js";
import { judgeScoreAggregate } from "./outcome-report.js";
import type { JudgeCounts, JudgedExample, ScoreAggregate } from "./report-aggregate.js";
import { type PairScope, segmentKey } from "./report-queries.js";

type Row = Readonly<Record<string, unknown>>;

/**
 * The judge's preference per segment, as a score named `judge` (keyed `dimension=segment`), from
 * the judge release that judged the candidate most recently, with the same judge's verdicts on
 * the baseline's A/A pairs beside it. Empty when no judge has judged the candidate.
 */
export async function readJudgeScores(
  store: Store,
  scope: PairScope,
  dimensions: readonly string[],
): Promise<Map<string, ScoreAggregate>> {
  const latest = (await store.query<Row>(latestJudgeSql(store.database, scope.candidate)))[0];
  if (latest === undefined) return new Map();
  const judgeRelease = String(latest.judge_release);
  const aaScope: PairScope = { ...scope, candidate: scope.baseline };
  const [rows, aaRows, exampleRows] = await Promise.all([
    store.query<Row>(judgeCountsSql(scope, judgeRelease, dimensions)),
    store.query<Row>(judgeCountsSql(aaScope, judgeRelease, dimensions)),
    store.query<Row>(judgedExamplesSql(scope, judgeRelease, 3)),
  ]);
  const examples: JudgedExample[] = exampleRows.map((row) => ({
    request_id: String(row.request_id),
    replica: Number(row.replica),
    verdict: String(row.verdict),
    inconsistent: Number(row.inconsistent) === 1,
    reason: String(row.reason),
  }));
  // An aggregate over no rows is still a row of zeros: no A/A judgement is no noise measured.
  const aaBySegment = new Map(
    aaRows.map((row) => [keyOf(row), countsOf(row)] as const).filter(([, counts]) => judgedOf(counts) > 0),
  );
  const judge = { id: judgeRelease, name: String(latest.judge_name), version: String(latest.judge_version) };
  return new Map(
    rows.map((row) => {
      const aa = aaBySegment.get(keyOf(row));
      const overall = row.dimension === "";
      return [
        keyOf(row),
        judgeScoreAggregate({
          judge,
          counts: countsOf(row),
          aa: aa ?? null,
          ...(overall ? { examples } : {}),
        }),
      ];
    }),
  );
}

function keyOf(row: Row): string {
  return segmentKey(String(row.dimension), String(row.segment));
}

function countsOf(row: Row): JudgeCounts {
  const n = (column: string) => Number(row[column] ?? 0);
  return {
    better: n("better"),
    same: n("same"),
    worse: n("worse"),
    inconsistent: n("inconsistent"),
    unparseable: n("unparseable"),
  };
}

function judgedOf(counts: JudgeCounts): number {
  return counts.better + counts.same + counts.worse + counts.unparseable;
}
