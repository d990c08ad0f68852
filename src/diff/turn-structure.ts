import type { NormalizedStep } from "../normalize/trace.js";

/**
 * For two step lists with the same calls by name that strict matching still found in other turns:
 * whether only the turn structure changed, and how, in words (`same calls, split into 3 turns
 * instead of 1`); undefined when a call moved past another, which is a real reordering.
 *
 * The k-th call of a tool on one side answers the k-th call of that tool on the other (both in turn
 * order); if any pairing keeps the order, this one does. The order is kept when no two calls swap
 * turns: sorted by baseline turn, then candidate turn, the candidate turns never go down.
 */
export function describeTurnChange(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
): string | undefined {
  const baselineTurnsOf = new Map<string, number[]>();
  for (const step of baseline) {
    const turns = baselineTurnsOf.get(step.name);
    if (turns === undefined) baselineTurnsOf.set(step.name, [step.group]);
    else turns.push(step.group);
  }
  const seen = new Map<string, number>();
  const pairs: [number, number][] = [];
  for (const step of candidate) {
    const k = seen.get(step.name) ?? 0;
    seen.set(step.name, k + 1);
    const baselineTurn = baselineTurnsOf.get(step.name)?.[k];
    if (baselineTurn === undefined) return undefined;
    pairs.push([baselineTurn, step.group]);
  }
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  for (let index = 1; index < pairs.length; index++)
    if ((pairs[index] as [number, number])[1] < (pairs[index - 1] as [number, number])[1]) return undefined;

  const before = turnCount(baseline);
  const after = turnCount(candidate);
  if (after > before && eachMapsToOne(pairs, 1, 0))
    return `same calls, split into ${turns(after)} instead of ${before}`;
  if (after < before && eachMapsToOne(pairs, 0, 1))
    return `same calls, merged into ${turns(after)} instead of ${before}`;
  return after === before
    ? `same calls, regrouped into ${turns(after)}`
    : `same calls, regrouped into ${turns(after)} instead of ${before}`;
}

/** Whether every turn of one side (`from`) holds calls of a single turn of the other (`to`). */
function eachMapsToOne(pairs: readonly (readonly [number, number])[], from: 0 | 1, to: 0 | 1): boolean {
  const target = new Map<number, number>();
  for (const pair of pairs) {
    const known = target.get(pair[from]);
    if (known === undefined) target.set(pair[from], pair[to]);
    else if (known !== pair[to]) return false;
  }
  return true;
}

function turnCount(steps: readonly NormalizedStep[]): number {
  let count = 0;
  for (let index = 0; index < steps.length; index++)
    if (index === 0 || steps[index]?.group !== steps[index - 1]?.group) count++;
  return count;
}

function turns(count: number): string {
  return count === 1 ? "1 turn" : `${count} turns`;
}
