import type { NormalizedStep } from "../normalize/trace.js";

/**
 * Edit distance and alignment of two step lists, to show a person *where* sequences diverge.
 * Ops, one character per aligned position: `=` same call, `~` same tool with other arguments,
 * `-` baseline call the candidate did not make, `+` candidate call the baseline did not make.
 * Inside a parallel turn order carries no meaning, so each turn is put in canonical order first:
 * reordering within a turn never shows as distance.
 */
export interface Alignment {
  readonly distance: number;
  readonly ops: string;
  /** Both step lists in the order the ops refer to (canonical within each turn). */
  readonly baseline: readonly NormalizedStep[];
  readonly candidate: readonly NormalizedStep[];
}

export function alignSteps(
  baseline: readonly NormalizedStep[],
  candidate: readonly NormalizedStep[],
): Alignment {
  const b = canonicalTurnOrder(baseline);
  const c = canonicalTurnOrder(candidate);
  const rows = b.length + 1;
  const cols = c.length + 1;
  const cost = new Uint32Array(rows * cols);
  for (let i = 0; i < rows; i++) cost[i * cols] = i;
  for (let j = 0; j < cols; j++) cost[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const substitution = (cost[(i - 1) * cols + j - 1] as number) + (sameCall(b[i - 1], c[j - 1]) ? 0 : 1);
      const deletion = (cost[(i - 1) * cols + j] as number) + 1;
      const insertion = (cost[i * cols + j - 1] as number) + 1;
      cost[i * cols + j] = Math.min(substitution, deletion, insertion);
    }
  }
  const ops: string[] = [];
  let i = b.length;
  let j = c.length;
  while (i > 0 || j > 0) {
    const here = cost[i * cols + j] as number;
    if (i > 0 && j > 0) {
      const same = sameCall(b[i - 1], c[j - 1]);
      if (here === (cost[(i - 1) * cols + j - 1] as number) + (same ? 0 : 1)) {
        ops.push(same ? "=" : b[i - 1]?.name === c[j - 1]?.name ? "~" : "!");
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === (cost[(i - 1) * cols + j] as number) + 1) {
      ops.push("-");
      i--;
    } else {
      ops.push("+");
      j--;
    }
  }
  return {
    distance: cost[rows * cols - 1] as number,
    ops: expandSubstitutions(ops.reverse()),
    baseline: b,
    candidate: c,
  };
}

/** A substitution of one tool by another reads better as a removal and an addition. */
function expandSubstitutions(ops: string[]): string {
  return ops.map((op) => (op === "!" ? "-+" : op)).join("");
}

function sameCall(a: NormalizedStep | undefined, b: NormalizedStep | undefined): boolean {
  return a !== undefined && b !== undefined && a.name === b.name && a.argsKey === b.argsKey;
}

function canonicalTurnOrder(steps: readonly NormalizedStep[]): NormalizedStep[] {
  const ordered = [...steps];
  let start = 0;
  while (start < ordered.length) {
    let end = start + 1;
    while (end < ordered.length && ordered[end]?.group === ordered[start]?.group) end++;
    if (end - start > 1) {
      const turn = ordered.slice(start, end).sort(compareCalls);
      ordered.splice(start, turn.length, ...turn);
    }
    start = end;
  }
  return ordered;
}

function compareCalls(a: NormalizedStep, b: NormalizedStep): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.argsKey < b.argsKey ? -1 : a.argsKey > b.argsKey ? 1 : 0;
}
