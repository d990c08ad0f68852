import type { ExchangeRecord } from "../contracts/exchange.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import { diffPair, type PairDiff } from "../diff/pair-diff.js";
import { type CompiledRules, compileRules } from "../normalize/compile-rules.js";
import { ToolSchemaRegistry } from "../normalize/tool-validity.js";
import { type NormalizedTrace, normalizeTrace } from "../normalize/trace.js";

/** Both sides of a pair, normalized, and what differs between them. */
export interface DiffedPair {
  readonly baselineTrace: NormalizedTrace;
  readonly candidateTrace: NormalizedTrace;
  readonly diff: PairDiff;
}

/**
 * The one way a pair is compared: the rules compiled once, the tool schemas of every known
 * release registered once, each side normalized against its own release's schemas, then diffed.
 * Built once per process (or per diff thread: compiled Ajv validators do not cross threads) and
 * handed to every path that compares pairs: `diff`, `run`, `consume`, the execute stage.
 */
export class PairDiffer {
  readonly rules: CompiledRules;
  private readonly registry = new ToolSchemaRegistry();

  constructor(rules: DiffRules, releases: readonly ResolvedRelease[] = []) {
    this.rules = compileRules(rules);
    for (const release of releases) this.registry.register(release);
  }

  diff(baseline: ExchangeRecord, candidate: ExchangeRecord): DiffedPair {
    const baselineTrace = normalizeTrace(
      baseline,
      this.rules,
      this.registry.validatorFor(baseline.release.id),
    );
    const candidateTrace = normalizeTrace(
      candidate,
      this.rules,
      this.registry.validatorFor(candidate.release.id),
    );
    return { baselineTrace, candidateTrace, diff: diffPair(baselineTrace, candidateTrace, this.rules) };
  }
}
