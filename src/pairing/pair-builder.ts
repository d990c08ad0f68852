import type { ExchangeRecord, ReleaseStamp } from "../contracts/exchange.js";
import type { PairRow, ReleaseRow, UnpairedRow } from "../contracts/pair-row.js";
import type { PricingTable } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import { diffPair } from "../diff/pair-diff.js";
import { type CompiledRules, compileRules } from "../normalize/compile-rules.js";
import { pairScores } from "../normalize/pair-scores.js";
import { ToolSchemaRegistry } from "../normalize/tool-validity.js";
import { normalizeTrace } from "../normalize/trace.js";
import { buildPairRow } from "./pair-row-builder.js";

/**
 * Baseline + candidate record → stored pair row, with rules compiled and tool schemas registered
 * once. Remembers every release it saw, so a pipeline can register them with the store.
 */
export class PairBuilder {
  private readonly rules: CompiledRules;
  private readonly registry = new ToolSchemaRegistry();
  private readonly manifests: ReadonlyMap<string, ResolvedRelease>;
  private readonly seen = new Map<string, ReleaseStamp>();
  private readonly registered = new Set<string>();

  constructor(
    rules: DiffRules,
    releases: readonly ResolvedRelease[],
    private readonly pricing: PricingTable,
  ) {
    this.rules = compileRules(rules);
    for (const release of releases) this.registry.register(release);
    this.manifests = new Map(releases.map((release) => [release.id, release]));
  }

  build(
    baseline: ExchangeRecord,
    candidate: ExchangeRecord,
    version: number,
    texts?: { readonly baseline: string; readonly candidate: string },
  ): PairRow {
    this.seen.set(baseline.release.id, baseline.release);
    this.seen.set(candidate.release.id, candidate.release);
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
    const diff = diffPair(baselineTrace, candidateTrace, this.rules);
    const scores = pairScores(baseline, candidate, this.rules.checks);
    return buildPairRow(
      {
        baseline,
        candidate,
        baselineTrace,
        candidateTrace,
        diff,
        scores,
        ...(texts === undefined ? {} : { texts }),
      },
      this.pricing,
      version,
    );
  }

  /** Releases seen since the last call, as store rows (names from manifests when given). */
  newReleases(version: number): ReleaseRow[] {
    const rows: ReleaseRow[] = [];
    for (const [id, stamp] of this.seen) {
      if (this.registered.has(id)) continue;
      this.registered.add(id);
      const manifest = this.manifests.get(id);
      rows.push({
        release_id: id,
        name: manifest?.name ?? stamp.name ?? "",
        release_version: manifest?.version ?? stamp.version ?? "",
        model: stamp.model,
        manifest: manifest ? JSON.stringify(manifest) : "",
        registered_at: Math.floor(version / 1000),
        version,
      });
    }
    return rows;
  }
}

/** A record whose partner never came, as the store counts it. */
export function unpairedRow(
  record: ExchangeRecord,
  side: "baseline" | "candidate",
  candidateRelease: string,
  version: number,
): UnpairedRow {
  const labels = record.labels ?? {};
  const keys = Object.keys(labels).sort();
  return {
    candidate_release: candidateRelease,
    side,
    request_id: record.id,
    replica: record.replica ?? 0,
    ts: Math.floor(Date.parse(record.ts) / 1000),
    label_keys: keys,
    label_values: keys.map((key) => String(labels[key])),
    version,
  };
}
