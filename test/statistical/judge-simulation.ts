import { judgeScoreAggregate } from "../../src/analyze/outcome-report.js";
import type { ScoreAggregate } from "../../src/analyze/report-aggregate.js";

/** The judge in the gate-validity simulation: verdicts drawn per pair, aggregated as the reader does. */

/** A verdict from one uniform draw: better 15% + delta/2, worse 15% − delta/2, same otherwise. */
export function judgeVerdictOf(draw: number, delta: number): "better" | "same" | "worse" {
  const better = 0.15 + delta / 2;
  const worse = 0.15 - delta / 2;
  if (draw < better) return "better";
  if (draw < better + worse) return "worse";
  return "same";
}

/** The judge's preference as the reader builds it (`judgeScoreAggregate`), from the verdict counts. */
export function judgeScoreOf(
  pairs: readonly { readonly judgeVerdict: "better" | "same" | "worse" }[],
): ScoreAggregate {
  const count = (verdict: string) => pairs.filter((pair) => pair.judgeVerdict === verdict).length;
  return judgeScoreAggregate({
    judge: { id: "sha256:simulated-judge", name: "judge", version: "1" },
    counts: {
      better: count("better"),
      same: count("same"),
      worse: count("worse"),
      inconsistent: 0,
      unparseable: 0,
    },
    aa: null,
  });
}
