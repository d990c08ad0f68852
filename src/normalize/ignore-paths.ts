import { ShadowdiffError } from "../contracts/errors.js";
import { type PointerPattern, parsePointer } from "./pointer.js";

/**
 * The rules' `ignore_paths`, sorted by what they apply to. A pointer names a place in the compared
 * view: `/outcome…`, `/arguments…` (every tool's), `/output`, or a differing path exactly as a
 * report prints it, `/steps/<tool>/arguments…` (`*` for every tool). Reported paths write `[]`
 * for "any item of a list", so `[]` is read as the `*` wildcard: a person can paste a path from a
 * report. A pointer that could ignore nothing is rejected, never accepted and left to do nothing.
 */
export interface IgnoreTargets {
  /** Below the outcome; an empty pattern ignores the whole outcome. */
  readonly outcome: PointerPattern[];
  /** Below every tool's arguments; an empty pattern ignores all of them. */
  readonly arguments: PointerPattern[];
  /** Below one tool's arguments, by tool name. */
  readonly toolArguments: Map<string, PointerPattern[]>;
  readonly output: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ROOTS = "ignore paths start with /outcome, /arguments, /output or /steps/<tool>/arguments";
const NO_CALLS =
  "a tool call itself cannot be ignored: choose how calls are compared with `trajectory` (unordered, subset, superset), or ignore a tool's arguments with /steps/<tool>/arguments";

export function routeIgnorePaths(pointers: readonly string[], source = "<rules>"): IgnoreTargets {
  const targets: Mutable<IgnoreTargets> = {
    outcome: [],
    arguments: [],
    toolArguments: new Map(),
    output: false,
  };
  pointers.forEach((pointer, index) => {
    const problem = route(readIgnorePointer(pointer), targets);
    if (problem === undefined) return;
    throw new ShadowdiffError("INVALID_RULES", `${source}: ignore_paths[${index}] '${pointer}': ${problem}`, {
      context: { source, path: `/ignore_paths/${index}` },
    });
  });
  return targets;
}

/** One pointer as a pattern, `[]` read as `*`; a tool's own `ignore_paths` use it too. */
export function readIgnorePointer(pointer: string): PointerPattern {
  return parsePointer(pointer).map((segment) => (segment === "[]" ? "*" : segment));
}

/** Adds one pattern where it applies; returns why it cannot apply anywhere, if so. */
function route(pattern: PointerPattern, targets: Mutable<IgnoreTargets>): string | undefined {
  const [head, ...rest] = pattern;
  if (head === undefined) return "this would ignore everything; name what to ignore (/outcome, /output, …)";
  switch (head) {
    case "outcome":
      targets.outcome.push(rest);
      return undefined;
    case "arguments":
      targets.arguments.push(rest);
      return undefined;
    case "output":
      if (rest.length > 0) return "the output is the answer text; ignore it whole with /output";
      targets.output = true;
      return undefined;
    case "*":
      if (rest.length === 0)
        return "this would ignore everything; name what to ignore (/outcome, /output, …)";
      targets.outcome.push(rest);
      targets.arguments.push(rest);
      return undefined;
  }
  if (head.startsWith("steps:")) return NO_CALLS;
  if (head !== "steps") return ROOTS;
  const [tool, below, ...inside] = rest;
  if (tool === undefined || below === undefined || /:(?:missing|extra)$/.test(tool)) return NO_CALLS;
  if (below !== "arguments")
    return `below a tool only its arguments can be ignored: /steps/${tool}/arguments/…`;
  if (tool === "*") targets.arguments.push(inside);
  else targets.toolArguments.set(tool, [...(targets.toolArguments.get(tool) ?? []), inside]);
  return undefined;
}
