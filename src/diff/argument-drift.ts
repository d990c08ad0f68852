import type { ArgumentMode } from "../contracts/rules.js";
import type { CompiledRules } from "../normalize/compile-rules.js";
import type { NormalizedStep } from "../normalize/trace.js";
import { maximumMatching } from "./bipartite.js";
import { collapseKey } from "./paths.js";
import {
  type AllowedDifference,
  describeDifference,
  differencePath,
  diffValues,
  leadingDifference,
} from "./value-diff.js";

/**
 * Explains the calls no argument-compatible partner was found for: pairs them by tool name, then
 * names each pair's argument differences. A difference the tool's argument mode allows (an
 * argument left out under `subset`, one added under `superset`) is no difference: it neither
 * leads the reason nor becomes a path.
 */
export function explainArguments(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
  rules: CompiledRules,
): { readonly reason: string; readonly paths: readonly string[] } {
  const pairing = maximumMatching(
    baseline.length,
    candidate.length,
    (b, c) => (baseline[b] as NormalizedStep).name === (candidate[c] as NormalizedStep).name,
  );
  const paths = new Set<string>();
  const reasons: string[] = [];
  pairing.forEach((c, b) => {
    if (c === -1) return;
    const baselineStep = baseline[b] as NormalizedStep;
    const candidateStep = candidate[c] as NormalizedStep;
    const tool = rules.toolRules(baselineStep.name);
    const differences = diffValues(
      baselineStep.args,
      candidateStep.args,
      tool.tolerance,
      ALLOWED_BY_MODE[tool.argumentMode],
    );
    const prefix = `/steps/${collapseKey(baselineStep.name)}/arguments`;
    for (const difference of differences) paths.add(differencePath(prefix, difference));
    const lead = leadingDifference(differences);
    if (lead !== undefined && reasons.length < 2)
      reasons.push(`${baselineStep.name}: ${describeDifference(lead, "arguments")}`);
  });
  if (paths.size === 0) paths.add("/steps/arguments");
  return { reason: reasons.join("; ") || "tool arguments differ", paths: [...paths].sort() };
}

/** What each argument mode lets the candidate do without it being a difference. */
const ALLOWED_BY_MODE: Record<ArgumentMode, AllowedDifference> = {
  exact: "none",
  ignore: "none",
  subset: "missing",
  superset: "added",
};
