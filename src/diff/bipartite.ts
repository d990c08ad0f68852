/**
 * Maximum bipartite matching (Kuhn's augmenting paths). Trajectory matching must be optimal, not
 * greedy: with argument modes like `subset`, a greedy pass can pair a baseline call with the
 * "wrong" candidate call and report a mismatch where a perfect pairing exists. Step lists are
 * short (tens of calls), so O(V·E) is cheap.
 *
 * Returns, for each left index, the matched right index or -1.
 */
export function maximumMatching(
  leftCount: number,
  rightCount: number,
  compatible: (left: number, right: number) => boolean,
): Int32Array {
  const matchOfRight = new Int32Array(rightCount).fill(-1);
  const adjacency: number[][] = [];
  for (let left = 0; left < leftCount; left++) {
    const row: number[] = [];
    for (let right = 0; right < rightCount; right++) if (compatible(left, right)) row.push(right);
    adjacency.push(row);
  }
  const visited = new Uint8Array(rightCount);
  for (let left = 0; left < leftCount; left++) {
    visited.fill(0);
    augment(left, adjacency, matchOfRight, visited);
  }
  const matchOfLeft = new Int32Array(leftCount).fill(-1);
  for (let right = 0; right < rightCount; right++) {
    const left = matchOfRight[right] as number;
    if (left !== -1) matchOfLeft[left] = right;
  }
  return matchOfLeft;
}

/** Looks for an augmenting path from `left`; a plain function, not a closure, on this hot path. */
function augment(
  left: number,
  adjacency: readonly number[][],
  matchOfRight: Int32Array,
  visited: Uint8Array,
): boolean {
  for (const right of adjacency[left] ?? []) {
    if (visited[right]) continue;
    visited[right] = 1;
    const current = matchOfRight[right] as number;
    if (current === -1 || augment(current, adjacency, matchOfRight, visited)) {
      matchOfRight[right] = left;
      return true;
    }
  }
  return false;
}
