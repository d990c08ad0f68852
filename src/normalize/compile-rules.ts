import type {
  ArgumentMode,
  DiffRules,
  NumericTolerance,
  ToolRules,
  TrajectoryMode,
} from "../contracts/rules.js";
import { type CompiledCheck, compileChecks } from "./checks.js";
import { readIgnorePointer, routeIgnorePaths } from "./ignore-paths.js";
import { type CompiledMask, compileMasks } from "./masks.js";
import type { PointerPattern } from "./pointer.js";

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
  const ignore = routeIgnorePaths(rules.ignore_paths);
  const compileTool = (toolIgnore: readonly PointerPattern[], tool: ToolRules = {}): CompiledToolRules => ({
    argumentMode: tool.arguments ?? rules.arguments,
    ignore: [...ignore.arguments, ...toolIgnore, ...(tool.ignore_paths ?? []).map(readIgnorePointer)],
    tolerance: tool.numeric_tolerance ?? rules.numeric_tolerance,
  });
  const defaultTool = compileTool([]);
  const perTool = new Map<string, CompiledToolRules>();
  // A tool named only by an ignore path (`/steps/refund_order/arguments/…`) needs rules of its own.
  for (const name of new Set([...Object.keys(rules.tools), ...ignore.toolArguments.keys()]))
    perTool.set(name, compileTool(ignore.toolArguments.get(name) ?? [], rules.tools[name]));
  return {
    source: rules,
    trajectory: rules.trajectory,
    masks: compileMasks(rules.masks),
    outcomeIgnore: ignore.outcome,
    outputIgnored: ignore.output,
    tolerance: rules.numeric_tolerance,
    text: rules.text,
    refusalStopReasons: new Set(rules.refusal.stop_reasons),
    // Case-insensitive: refusals are prose and their capitalisation carries no meaning.
    refusalPatterns: rules.refusal.patterns.map((pattern) => new RegExp(pattern, "i")),
    toolRules: (name) => perTool.get(name) ?? defaultTool,
    checks: compileChecks(rules.checks),
  };
}
