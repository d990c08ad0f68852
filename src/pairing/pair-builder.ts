import type { ExchangeRecord, ReleaseStamp } from "../contracts/exchange.js";
import type { PairRow, ReleaseRow, UnpairedRow } from "../contracts/pair-row.js";
import type { PricingTable } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import { pairScores } from "../normalize/pair-scores.js";
import type { PairDiffer } from "./pair-differ.js";
import { buildPairRow } from "./pair-row-builder.js";

/**
 * Baseline + candidate record → stored pair row, compared by the one PairDiffer. Remembers every
 * release it saw, so a pipeline can register them with the store.
 */
export class PairBuilder {
  private readonly manifests: ReadonlyMap<string, ResolvedRelease>;
  private readonly seen = new Map<string, ReleaseStamp>();
  private readonly registered = new Set<string>();

  constructor(
    readonly differ: PairDiffer,
    releases: readonly ResolvedRelease[],
    private readonly pricing: PricingTable,
  ) {
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
    const { baselineTrace, candidateTrace, diff } = this.differ.diff(baseline, candidate);
    const scores = pairScores(baseline, candidate, this.differ.rules.checks);
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
