import { type BenchCase, benchCaseOf, type HarvestRow } from "./bench-case.js";

export type { HarvestRow } from "./bench-case.js";

export interface SelectOptions {
  readonly limit: number;
  /** The segment label the selection spreads across. */
  readonly stratifyBy?: string;
  /** JSON pointers into each exchange record, replaced whole (bench-case.ts). */
  readonly redactPaths?: readonly string[];
  /** Paths the noise floor judged noise: they neither make a pair divergent nor pick its stratum. */
  readonly noisePaths?: Iterable<string>;
}

/**
 * Picks up to `limit` cases that cover the failure modes: pairs are grouped into strata of
 * category × segment (the `stratifyBy` label) × first differing tool, and taken round-robin
 * across strata, so a small set spans every kind of divergence before repeating one. Cases are
 * redacted, then deduplicated by case id: one case per canonical input for each (candidate
 * release, category) (pure).
 */
export function selectCases(rows: readonly HarvestRow[], options: SelectOptions): BenchCase[] {
  const noise = new Set(options.noisePaths ?? []);
  const strata = new Map<string, HarvestRow[]>();
  for (const row of rows) {
    const key = stratumOf(row, options.stratifyBy, noise);
    const list = strata.get(key) ?? [];
    list.push(row);
    strata.set(key, list);
  }
  const queues = [...strata.keys()].sort().map((key) => strata.get(key) as HarvestRow[]);
  const cases: BenchCase[] = [];
  const seen = new Set<string>();
  for (let round = 0; cases.length < options.limit && queues.some((queue) => round < queue.length); round++) {
    for (const queue of queues) {
      const row = queue[round];
      if (row === undefined || cases.length >= options.limit) continue;
      const benchCase = benchCaseOf(row, options.redactPaths ?? []);
      if (seen.has(benchCase.id)) continue;
      seen.add(benchCase.id);
      cases.push(benchCase);
    }
  }
  return cases;
}

function stratumOf(row: HarvestRow, stratifyBy: string | undefined, noise: ReadonlySet<string>): string {
  const labelIndex = stratifyBy === undefined ? -1 : row.label_keys.indexOf(stratifyBy);
  const segment = labelIndex === -1 ? "" : (row.label_values[labelIndex] ?? "");
  return `${row.category}\u0000${segment}\u0000${firstDifferingTool(row.paths, noise)}`;
}

// `/steps/<tool>:missing`, `/steps/<tool>:extra` and `/steps/<tool>/arguments/…` (diff/trajectory.ts);
// the tool segment is pointer-escaped, and a tool name may itself hold a colon.
const TOOL_PATH = /^\/steps\/([^/]+?)(?::(?:missing|extra)$|\/arguments(?:\/|$))/;

/**
 * The first tool the pair's stored paths (sorted, as the diff writes them) name once noise paths
 * are set aside; "" when no differing path is about a tool (refusal, outcome, order of calls).
 */
export function firstDifferingTool(paths: readonly string[], noise: ReadonlySet<string>): string {
  for (const path of paths) {
    if (noise.has(path)) continue;
    const tool = TOOL_PATH.exec(path)?.[1];
    if (tool !== undefined) return tool.replaceAll("~1", "/").replaceAll("~0", "~");
  }
  return "";
}
