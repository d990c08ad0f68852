import type { JudgeReport } from "../analyze/outcome-types.js";
import { signedPoints } from "./text-table.js";

/**
 * One line on the judge: its verdicts, what it could not decide, and its own noise (the same
 * judge on the baseline's A/A pairs), so a preference is read against what the judge does alone.
 */
export function judgeLine(judge: JudgeReport): string {
  const net = (value: JudgeReport["net_preference"]) =>
    value.value === null
      ? "n/a"
      : `${signedPoints(value.value)} (${signedPoints(value.low ?? 0)} – ${signedPoints(value.high ?? 0)})`;
  const noise =
    judge.aa === null
      ? "judge noise not measured (judge the baseline's A/A pairs: shadowdiff judge --candidate <baseline>)"
      : `judge noise on A/A: net ${net(judge.aa.net_preference)} over ${judge.aa.judged}, inconsistent ${judge.aa.inconsistent}`;
  return `judge ${judge.judge.name}@${judge.judge.version}: better ${judge.better} / same ${judge.same} / worse ${judge.worse} of ${judge.judged} judged, net ${net(judge.net_preference)}; inconsistent ${judge.inconsistent}, unparseable ${judge.unparseable}; ${noise}`;
}
