import type { SpanRole } from "./gen-ai-spans.js";
import type { OtelSpan } from "./span.js";

export function byStart(a: OtelSpan, b: OtelSpan): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0;
}

/** A span's role, computed once per trace by the caller (the walk below asks it for every span). */
export type RoleOf = (span: OtelSpan) => SpanRole;

/**
 * The span a record is about: the outermost `invoke_agent` span (OpenInference `AGENT`), else
 * the trace's root (no parent, or a parent that never arrived), the earliest if several.
 */
export function recordRoot(spans: readonly OtelSpan[], roleOf: RoleOf): OtelSpan | undefined {
  const byId = new Map<string, OtelSpan>();
  for (const span of spans) byId.set(span.spanId, span);
  let outermost: OtelSpan | undefined;
  for (const span of spans) {
    if (roleOf(span) !== "agent" || hasAgentAncestor(span, byId, roleOf)) continue;
    if (outermost === undefined || byStart(span, outermost) < 0) outermost = span;
  }
  if (outermost !== undefined) return outermost;
  let root: OtelSpan | undefined;
  for (const span of spans) {
    if (span.parentSpanId !== null && byId.has(span.parentSpanId)) continue;
    if (root === undefined || byStart(span, root) < 0) root = span;
  }
  return root;
}

/** The root and every span below it, in start order. */
export function subtree(root: OtelSpan, spans: readonly OtelSpan[]): OtelSpan[] {
  const children = new Map<string, OtelSpan[]>();
  for (const span of spans) {
    if (span.parentSpanId === null) continue;
    const siblings = children.get(span.parentSpanId);
    if (siblings === undefined) children.set(span.parentSpanId, [span]);
    else siblings.push(span);
  }
  const found: OtelSpan[] = [];
  const pending = [root];
  const seen = new Set<string>();
  for (let span = pending.pop(); span !== undefined; span = pending.pop()) {
    // A cycle of parent ids (a broken producer) must not loop for ever.
    if (seen.has(span.spanId)) continue;
    seen.add(span.spanId);
    found.push(span);
    const below = children.get(span.spanId);
    if (below !== undefined) for (const child of below) pending.push(child);
  }
  return found.sort(byStart);
}

function hasAgentAncestor(span: OtelSpan, byId: ReadonlyMap<string, OtelSpan>, roleOf: RoleOf): boolean {
  const seen = new Set<string>();
  for (let parent = span.parentSpanId; parent !== null && !seen.has(parent); ) {
    seen.add(parent);
    const found = byId.get(parent);
    if (found === undefined) return false;
    if (roleOf(found) === "agent") return true;
    parent = found.parentSpanId;
  }
  return false;
}
