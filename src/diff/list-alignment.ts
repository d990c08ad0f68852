import type { NumericTolerance } from "../contracts/rules.js";
import { maximumMatching } from "./bipartite.js";
import { valuesEqual } from "./equality.js";

/**
 * Which items of two lists answer each other, found by content, not position: an outcome that
 * lists an agent's writes gains one in front and every later index would otherwise "change".
 * 1. Equal items pair first, by a maximum matching (as the trajectory pairs calls): equality
 *    under a numeric tolerance is not transitive, so a greedy pass could miss a pairing.
 * 2. Items left over that are the same kind of thing (the same `name`, `type`, … see
 *    IDENTITY_KEYS) pair next, in order, and are explained by what differs inside them.
 * 3. What is still left pairs up in order: a `replaced` item when both have a kind and it
 *    differs (`update_reservation_flights → book_reservation`), else a changed one; the rest are
 *    missing or added.
 */
export interface ListAlignment {
  /** Unequal items paired with each other, [baseline index, candidate index], in baseline order. */
  readonly changed: readonly (readonly [number, number])[];
  readonly missing: readonly number[];
  readonly added: readonly number[];
  /** The equal items that were paired do not come in the same order on both sides. */
  readonly reordered: boolean;
}

/**
 * Keys whose value says what kind of thing a list item is (the tool, operation or event it
 * records), in the order that decides which one names a replacement. Ids are left out: they are
 * data, often generated, and pairing by them would hide a real change of item.
 */
export const IDENTITY_KEYS = [
  "type",
  "kind",
  "name",
  "tool",
  "tool_name",
  "action",
  "op",
  "operation",
  "event",
  "role",
];

// Beyond this many comparisons a list is matched by exact JSON text instead (equal items under a
// numeric tolerance then pair only when their text is equal): Kuhn's search is O(V·E) and a
// differing pair with two lists of thousands of items must not stall the diff.
const MATCHING_LIMIT = 4096;

export function alignLists(
  baseline: readonly unknown[],
  candidate: readonly unknown[],
  tolerance: NumericTolerance,
): ListAlignment {
  const partnerOfBaseline = new Int32Array(baseline.length).fill(-1);
  const taken = new Uint8Array(candidate.length);
  pairEqualItems(baseline, candidate, tolerance, partnerOfBaseline, taken);
  const reordered = equalItemsReordered(baseline, candidate, partnerOfBaseline, taken, tolerance);
  const leftBaseline: number[] = [];
  for (let index = 0; index < baseline.length; index++)
    if (partnerOfBaseline[index] === -1) leftBaseline.push(index);
  const leftCandidate: number[] = [];
  for (let index = 0; index < candidate.length; index++) if (taken[index] === 0) leftCandidate.push(index);

  const changed: [number, number][] = [];
  const byKind = new IndexQueues();
  for (const index of leftCandidate) {
    const kind = identityOf(candidate[index]);
    if (kind !== undefined) byKind.add(kind, index);
  }
  const pairedBaseline = new Set<number>();
  const pairedCandidate = new Set<number>();
  for (const index of leftBaseline) {
    const kind = identityOf(baseline[index]);
    const partner = kind === undefined ? undefined : byKind.take(kind);
    if (partner === undefined) continue;
    changed.push([index, partner]);
    pairedBaseline.add(index);
    pairedCandidate.add(partner);
  }
  const restBaseline = leftBaseline.filter((index) => !pairedBaseline.has(index));
  const restCandidate = leftCandidate.filter((index) => !pairedCandidate.has(index));
  const inOrder = Math.min(restBaseline.length, restCandidate.length);
  for (let k = 0; k < inOrder; k++) changed.push([restBaseline[k] as number, restCandidate[k] as number]);
  changed.sort((x, y) => x[0] - y[0]);
  return {
    changed,
    missing: restBaseline.slice(inOrder),
    added: restCandidate.slice(inOrder),
    reordered,
  };
}

function pairEqualItems(
  baseline: readonly unknown[],
  candidate: readonly unknown[],
  tolerance: NumericTolerance,
  partnerOfBaseline: Int32Array,
  taken: Uint8Array,
): void {
  // Items equal at the same position, counted from the start or from the end (an item inserted
  // or dropped in front shifts the rest), are part of some maximum matching when equality is
  // exact: pairing them first leaves the search only the items that moved or changed.
  const shared = Math.min(baseline.length, candidate.length);
  for (let index = 0; index < shared; index++) {
    if (!valuesEqual(baseline[index], candidate[index], tolerance)) continue;
    partnerOfBaseline[index] = index;
    taken[index] = 1;
  }
  const shifted = baseline.length !== candidate.length;
  for (let back = 1; shifted && back <= shared; back++) {
    const b = baseline.length - back;
    const c = candidate.length - back;
    if (partnerOfBaseline[b] !== -1 || taken[c] === 1) continue;
    if (!valuesEqual(baseline[b], candidate[c], tolerance)) continue;
    partnerOfBaseline[b] = c;
    taken[c] = 1;
  }
  const left: number[] = [];
  for (let index = 0; index < baseline.length; index++) if (partnerOfBaseline[index] === -1) left.push(index);
  const right: number[] = [];
  for (let index = 0; index < candidate.length; index++) if (taken[index] === 0) right.push(index);
  if (left.length === 0 || right.length === 0) return;
  if (left.length * right.length > MATCHING_LIMIT) {
    pairByText(baseline, candidate, left, right, partnerOfBaseline, taken);
    return;
  }
  const matching = maximumMatching(left.length, right.length, (l, r) =>
    valuesEqual(baseline[left[l] as number], candidate[right[r] as number], tolerance),
  );
  matching.forEach((r, l) => {
    if (r === -1) return;
    partnerOfBaseline[left[l] as number] = right[r] as number;
    taken[right[r] as number] = 1;
  });
}

function pairByText(
  baseline: readonly unknown[],
  candidate: readonly unknown[],
  left: readonly number[],
  right: readonly number[],
  partnerOfBaseline: Int32Array,
  taken: Uint8Array,
): void {
  const byText = new IndexQueues();
  for (const index of right) byText.add(JSON.stringify(candidate[index]) ?? "", index);
  for (const index of left) {
    const partner = byText.take(JSON.stringify(baseline[index]) ?? "");
    if (partner === undefined) continue;
    partnerOfBaseline[index] = partner;
    taken[partner] = 1;
  }
}

/**
 * Whether the paired equal items come in another order. Compared as values in each side's own
 * order, not as index pairs: among repeated equal items the matching may cross pairs that need
 * not cross, and that is no reordering.
 */
function equalItemsReordered(
  baseline: readonly unknown[],
  candidate: readonly unknown[],
  partnerOfBaseline: Int32Array,
  taken: Uint8Array,
  tolerance: NumericTolerance,
): boolean {
  let c = 0;
  for (let b = 0; b < baseline.length; b++) {
    if (partnerOfBaseline[b] === -1) continue;
    while (taken[c] === 0) c++;
    if (!valuesEqual(baseline[b], candidate[c], tolerance)) return true;
    c++;
  }
  return false;
}

/** `name=refund` style text of an item's kind, or undefined for an item that states none. */
export function identityOf(item: unknown): string | undefined {
  if (!isPlainObject(item)) return undefined;
  const object = item as Record<string, unknown>;
  let identity: string | undefined;
  for (const key of IDENTITY_KEYS) {
    const value = object[key];
    if (typeof value === "string") identity = `${identity ?? ""}${key}=${value}\u0000`;
  }
  return identity;
}

/** The first kind key both items state with different values: what names a replacement. */
export function replacedKey(baseline: unknown, candidate: unknown): string | undefined {
  if (!isPlainObject(baseline) || !isPlainObject(candidate)) return undefined;
  const a = baseline as Record<string, unknown>;
  const b = candidate as Record<string, unknown>;
  return IDENTITY_KEYS.find(
    (key) => typeof a[key] === "string" && typeof b[key] === "string" && a[key] !== b[key],
  );
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Indices waiting under a key, taken first in, first out. */
class IndexQueues {
  private readonly queues = new Map<string, { readonly indices: number[]; next: number }>();

  add(key: string, index: number): void {
    const queue = this.queues.get(key);
    if (queue === undefined) this.queues.set(key, { indices: [index], next: 0 });
    else queue.indices.push(index);
  }

  take(key: string): number | undefined {
    const queue = this.queues.get(key);
    if (queue === undefined || queue.next >= queue.indices.length) return undefined;
    return queue.indices[queue.next++];
  }
}
