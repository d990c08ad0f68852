import { ShadowdiffError } from "../contracts/errors.js";
import type { Store } from "../store/store.js";
import { baselinesOfSql, type PairScope, releasesSql } from "./report-queries.js";
import type { ReleaseRef } from "./report-types.js";

/** Which pairs a report reads: the candidate and baseline releases by id, name or name@version. */
export interface ScopeOptions {
  readonly candidate: string;
  readonly baseline?: string;
  readonly since?: number;
  readonly until?: number;
}
/** The pairs a report reads: its candidate, the baseline (given, or the one with most pairs), the window. */
export async function resolveScope(
  store: Store,
  options: ScopeOptions,
): Promise<{ candidate: ReleaseRef; baseline: ReleaseRef; scope: PairScope }> {
  const releases = await store.query<StoredRelease>(releasesSql(store.database));
  const candidate = resolveRelease(options.candidate, releases, "candidate");
  const baseline = options.baseline
    ? resolveRelease(options.baseline, releases, "baseline")
    : await defaultBaseline(store, candidate.id, releases);
  const scope: PairScope = {
    database: store.database,
    candidate: candidate.id,
    baseline: baseline.id,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
  };
  return { candidate, baseline, scope };
}

export interface StoredRelease {
  readonly release_id: string;
  readonly name: string;
  readonly release_version: string;
  readonly model: string;
}

export function noPairs(candidate: ReleaseRef, baseline: ReleaseRef): ShadowdiffError {
  return new ShadowdiffError(
    "BAD_USAGE",
    `no pairs for candidate ${describe(candidate)} against baseline ${describe(baseline)} in the chosen window`,
  );
}

export function toRef(release: StoredRelease | undefined, id: string): ReleaseRef {
  return {
    id,
    name: release?.name || null,
    version: release?.release_version || null,
    model: release?.model || null,
  };
}

/** A release by id, by name (the latest-registered version), or by `name@version`. */
export function resolveRelease(
  reference: string,
  releases: readonly StoredRelease[],
  role: string,
): ReleaseRef {
  const byId = releases.find((release) => release.release_id === reference);
  if (byId) return toRef(byId, byId.release_id);
  const matches = releases.filter(
    (release) => `${release.name}@${release.release_version}` === reference || release.name === reference,
  );
  const exact = matches.filter((release) => `${release.name}@${release.release_version}` === reference);
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 1 && chosen[0]) return toRef(chosen[0], chosen[0].release_id);
  if (chosen.length > 1) {
    const options = chosen.map(
      (release) => `${release.name}@${release.release_version} (${release.release_id})`,
    );
    throw new ShadowdiffError(
      "BAD_USAGE",
      `${role} '${reference}' is ambiguous: ${options.join(", ")}; give name@version or the id`,
    );
  }
  const known = releases.map((release) => `${release.name}@${release.release_version}`).join(", ");
  const missing = `no ${role} release '${reference}' in the store`;
  throw new ShadowdiffError("BAD_USAGE", `${missing} (known: ${known || "none"})`, {
    publicMessage: missing,
  });
}

export async function defaultBaseline(
  store: Store,
  candidate: string,
  releases: readonly StoredRelease[],
): Promise<ReleaseRef> {
  const rows = await store.query<{ baseline: string; pairs: string | number }>(
    baselinesOfSql(store.database, candidate),
  );
  const row = rows[0];
  if (row === undefined) {
    throw new ShadowdiffError("BAD_USAGE", `release ${candidate} has no pairs as a candidate in the store`);
  }
  return toRef(
    releases.find((release) => release.release_id === row.baseline),
    row.baseline,
  );
}

export function describe(release: ReleaseRef): string {
  return release.name ? `${release.name}@${release.version ?? "?"} (${release.id})` : release.id;
}
