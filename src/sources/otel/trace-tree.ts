import { spanRole } from "./gen-ai-spans.js";
import type { OtelSpan } from "./span.js";

export function byStart(a: OtelSpan, b: OtelSpan): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0;
}

/**
 * The span a record is about: the outermost `invoke_agent` span (OpenInference `AGENT`), else
 * the trace's root (no parent, or a parent that never arrived), the earliest if several.
 */
export function recordRoot(spans: readonly OtelSpan[]): OtelSpan | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const agents = spans.filter((span) => spanRole(span) === "agent");
  const outermost = agents.filter((agent) => !hasAncestor(agent, byId, (span) => spanRole(span) === "agent"));
  const sorted = [...outermost].sort(byStart);
  if (sorted[0] !== undefined) return sorted[0];
  const roots = spans.filter((span) => span.parentSpanId === null || !ids.has(span.parentSpanId));
  return [...roots].sort(byStart)[0];
}

/** The root and every span below it. */
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
    pending.push(...(children.get(span.spanId) ?? []));
  }
  return found.sort(byStart);
}

function hasAncestor(
  span: OtelSpan,
  byId: ReadonlyMap<string, OtelSpan>,
  test: (span: OtelSpan) => boolean,
): boolean {
  const seen = new Set<string>();
  for (let parent = span.parentSpanId; parent !== null && !seen.has(parent); ) {
    seen.add(parent);
    const found = byId.get(parent);
    if (found === undefined) return false;
    if (test(found)) return true;
    parent = found.parentSpanId;
  }
  return false;
}
