import type { TrajectoryMode } from "../contracts/rules.js";
import { canonicalEqual } from "../normalize/canonical.js";
import type { CompiledRules } from "../normalize/compile-rules.js";
import type { NormalizedStep } from "../normalize/trace.js";
import { explainArguments } from "./argument-drift.js";
import { argumentsMatch } from "./argument-match.js";
import { maximumMatching } from "./bipartite.js";
import { collapseKey } from "./paths.js";
import { describeTurnChange } from "./turn-structure.js";

export type TrajectoryVerdict = "match" | "sequence" | "args";

export interface TrajectoryResult {
  readonly verdict: TrajectoryVerdict;
  /** One line for a person; empty when the trajectories match. */
  readonly reason: string;
  /**
   * Collapsed differing paths: `/steps/<tool>:missing`, `/steps/<tool>:extra`, `/steps:order`,
   * `/steps:turns`, `/steps/<tool>/arguments/…`. Only differences the mode does not allow.
   */
  readonly paths: readonly string[];
}

const MATCH: TrajectoryResult = { verdict: "match", reason: "", paths: [] };

type Compatible = (baseline: NormalizedStep, candidate: NormalizedStep) => boolean;
const sameName: Compatible = (baseline, candidate) => baseline.name === candidate.name;

/**
 * Compares the two tool-call trajectories under a mode (agentevals' modes, with optimal matching):
 * - strict: the same turns in the same order, any order inside a turn;
 * - unordered: the same multiset of calls;
 * - subset: every candidate call answers a distinct baseline call (the candidate may do less);
 * - superset: every baseline call is answered by a distinct candidate call (it may do more).
 * A mismatch that persists with arguments ignored is sequence drift; one that appears only
 * when arguments are compared is argument drift.
 */
export function matchTrajectory(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
  rules: CompiledRules,
  mode: TrajectoryMode = rules.trajectory,
): TrajectoryResult {
  if (sameStepsInOrder(baseline, candidate)) return MATCH;
  const byName = unmatched(baseline, candidate, mode, sameName);
  if (!acceptable(byName, mode)) return sequenceDrift(baseline, candidate, byName, mode);
  const withArgs = unmatched(baseline, candidate, mode, (b, c) => argumentsMatch(b, c, rules));
  if (acceptable(withArgs, mode)) return MATCH;
  return argumentDrift(withArgs, rules);
}

function sameStepsInOrder(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
): boolean {
  if (baseline.length !== candidate.length) return false;
  for (let index = 0; index < baseline.length; index++) {
    const b = baseline[index] as NormalizedStep;
    const c = candidate[index] as NormalizedStep;
    if (b.name !== c.name || b.group !== c.group || !canonicalEqual(b.args, c.args)) return false;
  }
  return true;
}

interface Unmatched {
  readonly baseline: NormalizedStep[];
  readonly candidate: NormalizedStep[];
  /** strict only: the turn structure itself differs (number of turns). */
  readonly turnsDiffer: boolean;
}

function unmatched(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
  mode: TrajectoryMode,
  compatible: Compatible,
): Unmatched {
  if (mode !== "strict") return matchWithin(baseline, candidate, compatible, false);
  const baselineTurns = groupByTurn(baseline);
  const candidateTurns = groupByTurn(candidate);
  const result: Unmatched = {
    baseline: [],
    candidate: [],
    turnsDiffer: baselineTurns.length !== candidateTurns.length,
  };
  const turns = Math.max(baselineTurns.length, candidateTurns.length);
  for (let turn = 0; turn < turns; turn++) {
    const part = matchWithin(baselineTurns[turn] ?? [], candidateTurns[turn] ?? [], compatible, false);
    result.baseline.push(...part.baseline);
    result.candidate.push(...part.candidate);
  }
  return result;
}

function matchWithin(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
  compatible: Compatible,
  turnsDiffer: boolean,
): Unmatched {
  if (matchesPositionally(baseline, candidate, compatible))
    return { baseline: [], candidate: [], turnsDiffer };
  const matchOfBaseline = maximumMatching(baseline.length, candidate.length, (b, c) =>
    compatible(baseline[b] as NormalizedStep, candidate[c] as NormalizedStep),
  );
  const usedCandidate = new Uint8Array(candidate.length);
  const leftBaseline: NormalizedStep[] = [];
  matchOfBaseline.forEach((c, b) => {
    if (c === -1) leftBaseline.push(baseline[b] as NormalizedStep);
    else usedCandidate[c] = 1;
  });
  const leftCandidate = candidate.filter((_, c) => usedCandidate[c] === 0);
  return { baseline: leftBaseline, candidate: leftCandidate, turnsDiffer };
}

/**
 * Most pairs agree call for call in recorded order; then the identity pairing is already a perfect
 * matching (so optimal), and the bipartite search can be skipped.
 */
function matchesPositionally(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
  compatible: Compatible,
): boolean {
  if (baseline.length !== candidate.length) return false;
  for (let index = 0; index < baseline.length; index++) {
    if (!compatible(baseline[index] as NormalizedStep, candidate[index] as NormalizedStep)) return false;
  }
  return true;
}

function acceptable(left: Unmatched, mode: TrajectoryMode): boolean {
  if (mode === "subset") return left.candidate.length === 0;
  if (mode === "superset") return left.baseline.length === 0;
  return left.baseline.length === 0 && left.candidate.length === 0 && !left.turnsDiffer;
}

function groupByTurn(steps: readonly NormalizedStep[]): NormalizedStep[][] {
  const turns: NormalizedStep[][] = [];
  let current: NormalizedStep[] | undefined;
  let currentGroup = -1;
  for (const step of steps) {
    if (current === undefined || step.group !== currentGroup) {
      current = [];
      turns.push(current);
      currentGroup = step.group;
    }
    current.push(step);
  }
  return turns;
}

function sequenceDrift(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
  byName: Unmatched,
  mode: TrajectoryMode,
): TrajectoryResult {
  // Whether the calls differ or only their order: compare the name multisets as a whole. A call
  // the mode allows to be left out (subset) or added (superset) is no difference: reporting it
  // would lead the reason with what the mode tolerates and give the noise floor a path it is not.
  const overall = matchWithin(baseline, candidate, sameName, false);
  const missing = mode === "subset" ? [] : overall.baseline;
  const extra = mode === "superset" ? [] : overall.candidate;
  const paths = new Set<string>();
  const parts: string[] = [];
  for (const step of missing) paths.add(`/steps/${collapseKey(step.name)}:missing`);
  for (const step of extra) paths.add(`/steps/${collapseKey(step.name)}:extra`);
  if (missing.length > 0) parts.push(`${countedNames(missing)} missing in candidate`);
  if (extra.length > 0) parts.push(`${countedNames(extra)} added in candidate`);
  if (parts.length === 0) {
    const turnChange = describeTurnChange(baseline, candidate);
    if (turnChange !== undefined) {
      paths.add("/steps:turns");
      parts.push(turnChange);
    } else {
      paths.add("/steps:order");
      const moved = byName.baseline.map((step) => step.name);
      parts.push(`calls reordered across turns (${[...new Set(moved)].join(", ") || "turn structure"})`);
    }
  }
  return { verdict: "sequence", reason: parts.join("; "), paths: [...paths].sort() };
}

function countedNames(steps: readonly NormalizedStep[]): string {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.name, (counts.get(step.name) ?? 0) + 1);
  return [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(", ");
}

function argumentDrift(left: Unmatched, rules: CompiledRules): TrajectoryResult {
  return { verdict: "args", ...explainArguments(left.baseline, left.candidate, rules) };
}
