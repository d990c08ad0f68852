import type { NormalizedTrace } from "../normalize/trace.js";
import { DRIFT_CATEGORIES, emptyCategoryCounts, type PairCategory } from "./category.js";
import { netCategory } from "./net-category.js";
import { judgePaths, type PathTally, type PathVerdict } from "./noise-floor.js";
import type { PairDiff } from "./pair-diff.js";

export interface Example {
  readonly id: string;
  readonly reason: string;
}

export interface ToolCallTotals {
  total: number;
  checked: number;
  invalid: number;
  failed: number;
}

interface Signature {
  readonly category: PairCategory;
  readonly paths: readonly string[];
  count: number;
}

const EXAMPLES_PER_CATEGORY = 3;

/**
 * Running totals over a stream of pair diffs, in memory bounded by the number of distinct paths
 * and path combinations (collapsed paths keep both small), never by the number of pairs. Pairs
 * are remembered by their signature (category + path set) so that, once the noise floor is
 * known at the end, each pair can be judged drift or noise without having been kept.
 */
export class DiffTally {
  pairs = 0;
  readonly categories = emptyCategoryCounts();
  readonly pathCounts = new Map<string, number>();
  readonly examples = new Map<PairCategory, Example[]>();
  readonly invalidCallExamples: Example[] = [];
  readonly toolCalls = { baseline: emptyToolCalls(), candidate: emptyToolCalls() };
  private readonly signatures = new Map<string, Signature>();

  add(id: string, diff: PairDiff, baseline: NormalizedTrace, candidate: NormalizedTrace): void {
    this.pairs++;
    this.categories[diff.category]++;
    for (const path of diff.paths) this.pathCounts.set(path, (this.pathCounts.get(path) ?? 0) + 1);
    if (diff.category !== "identical") this.remember(diff);
    const examples = this.examples.get(diff.category) ?? [];
    if (examples.length < EXAMPLES_PER_CATEGORY && diff.category !== "identical") {
      examples.push({ id, reason: diff.reason });
      this.examples.set(diff.category, examples);
    }
    addToolCalls(this.toolCalls.baseline, baseline);
    addToolCalls(this.toolCalls.candidate, candidate);
    const invalid = candidate.toolCalls.invalid[0];
    if (invalid !== undefined && this.invalidCallExamples.length < EXAMPLES_PER_CATEGORY) {
      this.invalidCallExamples.push({ id, reason: `${invalid.name}: ${invalid.reason}` });
    }
  }

  pathTally(): PathTally {
    return { pairs: this.pairs, counts: this.pathCounts };
  }

  /**
   * Categories net of the noise floor: each remembered signature re-classified from its
   * non-noise paths (net-category.ts). `noiseOnly` counts the raw drift pairs that fall out of
   * drift that way; the gate's drift is the net estimate over requests, not this count.
   */
  drift(aa: PathTally | null): DriftSummary {
    const verdicts = judgePaths(this.pathTally(), aa);
    const noisy = new Set(verdicts.filter((verdict) => verdict.noise).map((verdict) => verdict.path));
    const net = emptyCategoryCounts();
    net.identical = this.categories.identical;
    let noiseOnly = 0;
    for (const signature of this.signatures.values()) {
      const category = netCategory(signature.category, signature.paths, noisy);
      net[category] += signature.count;
      if (DRIFT_CATEGORIES.has(signature.category) && !DRIFT_CATEGORIES.has(category)) {
        noiseOnly += signature.count;
      }
    }
    return { categories: net, noiseOnly, verdicts };
  }

  private remember(diff: PairDiff): void {
    const key = `${diff.category}\n${diff.paths.join("\n")}`;
    const signature = this.signatures.get(key);
    if (signature) signature.count++;
    else this.signatures.set(key, { category: diff.category, paths: diff.paths, count: 1 });
  }
}

export interface DriftSummary {
  /** Every pair's category net of the noise floor (equal to the raw ones without an A/A run). */
  readonly categories: Record<PairCategory, number>;
  /** Raw drift pairs whose net category is not drift: every behavioural path was noise. */
  readonly noiseOnly: number;
  readonly verdicts: readonly PathVerdict[];
}

function emptyToolCalls(): ToolCallTotals {
  return { total: 0, checked: 0, invalid: 0, failed: 0 };
}

function addToolCalls(totals: ToolCallTotals, trace: NormalizedTrace): void {
  totals.total += trace.toolCalls.total;
  totals.checked += trace.toolCalls.checked;
  totals.invalid += trace.toolCalls.invalid.length;
  totals.failed += trace.toolCalls.failed;
}
