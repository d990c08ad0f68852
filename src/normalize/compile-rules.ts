import type { ArgumentMode, DiffRules, NumericTolerance, TrajectoryMode } from "../contracts/rules.js";
import { type CompiledCheck, compileChecks } from "./checks.js";
import { type CompiledMask, compileMasks } from "./masks.js";
import { type PointerPattern, parsePointer, patternsBelow } from "./pointer.js";

/** Per-tool settings with the global defaults already folded in. */
export interface CompiledToolRules {
  readonly argumentMode: ArgumentMode;
  readonly ignore: readonly PointerPattern[];
  readonly tolerance: NumericTolerance;
}

/** Rules turned into what the hot path needs: regexes compiled, pointers parsed, tools resolved. */
export interface CompiledRules {
  readonly source: DiffRules;
  readonly trajectory: TrajectoryMode;
  readonly masks: readonly CompiledMask[];
  readonly outcomeIgnore: readonly PointerPattern[];
  readonly outputIgnored: boolean;
  readonly tolerance: NumericTolerance;
  readonly text: DiffRules["text"];
  readonly refusalStopReasons: ReadonlySet<string>;
  readonly refusalPatterns: readonly RegExp[];
  readonly toolRules: (toolName: string) => CompiledToolRules;
  /** The rules file's checks, compiled once, in name order. */
  readonly checks: readonly CompiledCheck[];
}

export function compileRules(rules: DiffRules): CompiledRules {
  const patterns = rules.ignore_paths.map(parsePointer);
  const argumentsIgnore = patternsBelow(patterns, "arguments");
  const defaultTool: CompiledToolRules = {
    argumentMode: rules.arguments,
    ignore: argumentsIgnore,
    tolerance: rules.numeric_tolerance,
  };
  const perTool = new Map<string, CompiledToolRules>();
  for (const [name, tool] of Object.entries(rules.tools)) {
    perTool.set(name, {
      argumentMode: tool.arguments ?? rules.arguments,
      ignore: [...argumentsIgnore, ...(tool.ignore_paths ?? []).map(parsePointer)],
      tolerance: tool.numeric_tolerance ?? rules.numeric_tolerance,
    });
  }
  return {
    source: rules,
    trajectory: rules.trajectory,
    masks: compileMasks(rules.masks),
    outcomeIgnore: patternsBelow(patterns, "outcome"),
    outputIgnored: patterns.some((pattern) => pattern.length === 1 && pattern[0] === "output"),
    tolerance: rules.numeric_tolerance,
    text: rules.text,
    refusalStopReasons: new Set(rules.refusal.stop_reasons),
    // Case-insensitive: refusals are prose and their capitalisation carries no meaning.
    refusalPatterns: rules.refusal.patterns.map((pattern) => new RegExp(pattern, "i")),
    toolRules: (name) => perTool.get(name) ?? defaultTool,
    checks: compileChecks(rules.checks),
  };
}
