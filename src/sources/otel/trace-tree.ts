import { type SpanRole, spanRole } from "./gen-ai-spans.js";
import type { OtelSpan } from "./span.js";

export function byStart(a: OtelSpan, b: OtelSpan): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0;
}

/** The spans a record is made of: its root and every span below it, in start order, each with its role. */
export interface RecordSpans {
  readonly root: OtelSpan;
  readonly spans: readonly OtelSpan[];
  /** `roles[i]` is the role of `spans[i]`. */
  readonly roles: readonly SpanRole[];
}

/**
 * The record's root and its subtree. The root is the outermost `invoke_agent` span (OpenInference
 * `AGENT`), else the trace's root (no parent, or a parent that never arrived), the earliest if
 * several. Spans are found by index (each role computed once, ids looked up in one map, a
 * child list per span id) rather than through a map per question: for a six-span trace, the
 * maps and sets of the earlier walk cost more than the walk (bench/otel).
 */
export function recordSpans(spans: readonly OtelSpan[]): RecordSpans | undefined {
  const roles: SpanRole[] = [];
  for (const span of spans) roles.push(spanRole(span));
  const indexOf = new SpanIndex(spans);
  const rootIndex = outermostAgent(spans, roles, indexOf) ?? traceRoot(spans, indexOf);
  if (rootIndex === undefined) return undefined;
  return subtree(rootIndex, spans, roles, indexOf);
}

/**
 * A span id's index: the last span with that id, as a repeated id (a span delivered twice) names
 * one span. A few spans are searched from the end (hashing each fresh id string into a map was
 * the costliest line of the walk for six spans); more go through a map.
 */
class SpanIndex {
  private readonly byId: Map<string, number> | undefined;

  constructor(private readonly spans: readonly OtelSpan[]) {
    if (spans.length <= 16) return;
    this.byId = new Map();
    for (let index = 0; index < spans.length; index++)
      this.byId.set((spans[index] as OtelSpan).spanId, index);
  }

  get(spanId: string): number | undefined {
    if (this.byId !== undefined) return this.byId.get(spanId);
    for (let index = this.spans.length - 1; index >= 0; index--)
      if ((this.spans[index] as OtelSpan).spanId === spanId) return index;
    return undefined;
  }
}

function outermostAgent(
  spans: readonly OtelSpan[],
  roles: readonly SpanRole[],
  indexOf: SpanIndex,
): number | undefined {
  let outermost: number | undefined;
  for (let index = 0; index < spans.length; index++) {
    if (roles[index] !== "agent" || hasAgentAncestor(index, spans, roles, indexOf)) continue;
    if (outermost === undefined || byStart(spans[index] as OtelSpan, spans[outermost] as OtelSpan) < 0)
      outermost = index;
  }
  return outermost;
}

function traceRoot(spans: readonly OtelSpan[], indexOf: SpanIndex): number | undefined {
  let root: number | undefined;
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index] as OtelSpan;
    if (span.parentSpanId !== null && indexOf.get(span.parentSpanId) !== undefined) continue;
    if (root === undefined || byStart(span, spans[root] as OtelSpan) < 0) root = index;
  }
  return root;
}

function hasAgentAncestor(
  index: number,
  spans: readonly OtelSpan[],
  roles: readonly SpanRole[],
  indexOf: SpanIndex,
): boolean {
  // A cycle of parent ids (a broken producer) must not loop for ever: a chain of more steps than
  // there are spans has come round, and every span on it has been asked already.
  let parent = (spans[index] as OtelSpan).parentSpanId;
  for (let steps = 0; parent !== null && steps < spans.length; steps++) {
    const found = indexOf.get(parent);
    if (found === undefined) return false;
    if (roles[found] === "agent") return true;
    parent = (spans[found] as OtelSpan).parentSpanId;
  }
  return false;
}

function subtree(
  rootIndex: number,
  spans: readonly OtelSpan[],
  roles: readonly SpanRole[],
  indexOf: SpanIndex,
): RecordSpans {
  // Children by their parent's index, in trace order: a parent id no span has cannot be reached.
  const children: (number[] | undefined)[] = [];
  for (let index = 0; index < spans.length; index++) {
    const parentId = (spans[index] as OtelSpan).parentSpanId;
    const parent = parentId === null ? undefined : indexOf.get(parentId);
    if (parent === undefined) continue;
    const siblings = children[parent];
    if (siblings === undefined) children[parent] = [index];
    else siblings.push(index);
  }
  const found: number[] = [];
  const visited: boolean[] = [];
  const pending = [rootIndex];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    // By id, not by span: a cycle, or a span id delivered twice, is walked once.
    const id = indexOf.get((spans[next] as OtelSpan).spanId) as number;
    if (visited[id] === true) continue;
    visited[id] = true;
    found.push(next);
    const below = children[id];
    if (below !== undefined) for (const child of below) pending.push(child);
  }
  sortByStart(found, spans);
  const inOrder: OtelSpan[] = [];
  const rolesInOrder: SpanRole[] = [];
  for (const index of found) {
    inOrder.push(spans[index] as OtelSpan);
    rolesInOrder.push(roles[index] as SpanRole);
  }
  return { root: spans[rootIndex] as OtelSpan, spans: inOrder, roles: rolesInOrder };
}

/**
 * Sorts span indices by start time, stably. An insertion sort for the few spans most records
 * have (Array.prototype.sort with a comparator was a fifth of this walk for six spans), the
 * built-in one (also stable) past that.
 */
function sortByStart(indices: number[], spans: readonly OtelSpan[]): void {
  if (indices.length > 16) {
    indices.sort((a, b) => byStart(spans[a] as OtelSpan, spans[b] as OtelSpan));
    return;
  }
  for (let next = 1; next < indices.length; next++) {
    const index = indices[next] as number;
    const start = (spans[index] as OtelSpan).startNs;
    let at = next;
    while (at > 0 && (spans[indices[at - 1] as number] as OtelSpan).startNs > start) {
      indices[at] = indices[at - 1] as number;
      at--;
    }
    indices[at] = index;
  }
}
