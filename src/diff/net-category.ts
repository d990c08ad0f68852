import type { PairCategory } from "../contracts/categories.js";
import { pathKind } from "./path-kind.js";

/**
 * A pair's category net of the noise floor: the category its differing paths give once the paths
 * the A/A run shows just as often (`noise`) are set aside, by the same precedence as the raw
 * classification (refusal, failed baseline, outcome, sequence, arguments, text). A candidate
 * failure is never explained away; without noise paths the raw category stands.
 *
 * The raw category of a sequence-drift pair lists only its sequence paths (the trajectory stops
 * at the first kind of difference), so when all of those are noise the pair falls to what its
 * other paths say, not to an argument difference it may also have had.
 */
export function netCategory(
  raw: PairCategory,
  paths: readonly string[],
  noise: ReadonlySet<string>,
): PairCategory {
  if (raw === "candidate_error" || raw === "identical" || noise.size === 0) return raw;
  let outcome = false;
  let sequence = false;
  let argumentsDiffer = false;
  let text = false;
  let baselineFailed = false;
  for (const path of paths) {
    if (noise.has(path)) continue;
    switch (pathKind(path)) {
      case "refusal":
        return "refusal_flip";
      case "error":
        baselineFailed = true;
        break;
      case "outcome":
        outcome = true;
        break;
      case "sequence":
        sequence = true;
        break;
      case "arguments":
        argumentsDiffer = true;
        break;
      case "text":
        text = true;
        break;
    }
  }
  if (baselineFailed || outcome) return "outcome_mismatch";
  if (sequence) return "tool_sequence_drift";
  if (argumentsDiffer) return "args_drift";
  return text ? "text_only" : "identical";
}
