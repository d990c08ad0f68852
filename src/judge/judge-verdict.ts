import type { JudgeAnswer, JudgeVerdict } from "../contracts/judge.js";
import { oneLine } from "./judge-answer.js";

/** One order's outcome: the answer the judge gave, or that it gave none readable after a repair. */
export type OrderOutcome =
  | { readonly kind: "answer"; readonly answer: JudgeAnswer }
  | { readonly kind: "unparseable" };

export interface CombinedVerdict {
  readonly verdict: JudgeVerdict;
  /** The two orders disagreed: the verdict is `same`, whatever either order said. */
  readonly inconsistent: boolean;
  readonly reason: string;
  /** What each order preferred, in the candidate's terms (`better` / `worse` / `same`), or unparseable. */
  readonly baselineFirst: JudgeVerdict;
  readonly candidateFirst: JudgeVerdict;
}

/** An order's answer in the candidate's terms: with the baseline first, B is the candidate. */
function forCandidate(outcome: OrderOutcome, candidateIs: "A" | "B"): JudgeVerdict {
  if (outcome.kind === "unparseable") return "unparseable";
  const preferred = outcome.answer.preferred;
  if (preferred === "same") return "same";
  return preferred === candidateIs ? "better" : "worse";
}

/**
 * The verdict from both orders (pure): a verdict only when the two agree, otherwise `same` with
 * `inconsistent`, so a judge that always picks one position can never make a verdict. An order
 * with no readable answer makes the pair unparseable: counted, never guessed from the other.
 */
export function combineOrders(
  baselineFirst: OrderOutcome,
  candidateFirst: OrderOutcome | null,
): CombinedVerdict {
  const first = forCandidate(baselineFirst, "B");
  const second = candidateFirst === null ? "unparseable" : forCandidate(candidateFirst, "A");
  const reasonOf = (outcome: OrderOutcome | null) =>
    outcome?.kind === "answer" ? oneLine(outcome.answer.reason) : "no readable answer";
  if (first === "unparseable" || second === "unparseable") {
    return {
      verdict: "unparseable",
      inconsistent: false,
      reason: oneLine(
        `baseline first: ${reasonOf(baselineFirst)} | candidate first: ${reasonOf(candidateFirst)}`,
      ),
      baselineFirst: first,
      candidateFirst: second,
    };
  }
  if (first === second) {
    return {
      verdict: first,
      inconsistent: false,
      reason: reasonOf(baselineFirst),
      baselineFirst: first,
      candidateFirst: second,
    };
  }
  return {
    verdict: "same",
    inconsistent: true,
    reason: oneLine(
      `baseline first: ${first}, ${reasonOf(baselineFirst)} | candidate first: ${second}, ${reasonOf(candidateFirst)}`,
    ),
    baselineFirst: first,
    candidateFirst: second,
  };
}
