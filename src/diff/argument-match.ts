import type { CompiledRules } from "../normalize/compile-rules.js";
import type { NormalizedStep } from "../normalize/trace.js";
import { isSubsetOf, valuesEqual } from "./value-diff.js";

/**
 * Whether a candidate call answers a baseline call: same tool, and arguments that agree under
 * the tool's argument mode. `subset`: the candidate's arguments are a subset of the baseline's
 * (it may leave optional ones out); `superset`: the candidate's include all of the baseline's.
 */
export function argumentsMatch(
  baseline: NormalizedStep,
  candidate: NormalizedStep,
  rules: CompiledRules,
): boolean {
  if (baseline.name !== candidate.name) return false;
  const tool = rules.toolRules(baseline.name);
  switch (tool.argumentMode) {
    case "ignore":
      return true;
    case "exact":
      return (
        baseline.argsKey === candidate.argsKey || valuesEqual(baseline.args, candidate.args, tool.tolerance)
      );
    case "subset":
      return isSubsetOf(candidate.args, baseline.args, tool.tolerance);
    case "superset":
      return isSubsetOf(baseline.args, candidate.args, tool.tolerance);
  }
}
