/**
 * What a collapsed differing path (see paths.ts and trajectory.ts) is about. The kind decides how
 * a pair is classified once its noise paths are set aside, and which paths take part in drift:
 * text never does, and a failure is reported apart from behaviour.
 */
export type PathKind = "refusal" | "error" | "outcome" | "sequence" | "arguments" | "text";

const SEQUENCE_PATH = /^\/steps(?::order|:turns|\/[^/]*:(?:missing|extra))$/;

export function pathKind(path: string): PathKind {
  if (path === "/refusal") return "refusal";
  if (path === "/error") return "error";
  if (path === "/output") return "text";
  // `/outcome:order` is a root list of the outcome in another order.
  if (path === "/outcome" || path.startsWith("/outcome/") || path.startsWith("/outcome:")) return "outcome";
  if (SEQUENCE_PATH.test(path)) return "sequence";
  return "arguments";
}

/** Paths the noise floor judges and drift counts: behaviour, not wording and not failures. */
export function isBehaviouralPath(path: string): boolean {
  const kind = pathKind(path);
  return kind !== "text" && kind !== "error";
}
