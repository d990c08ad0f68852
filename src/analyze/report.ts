import { PAIR_CATEGORIES, type PairCategory } from "../contracts/categories.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { judgePaths } from "../diff/noise-floor.js";
import type { Store } from "../store/store.js";
import {
  candidatesSql,
  examplesSql,
  type PairScope,
  pairCountSql,
  pairedSampleSql,
  pathCountsSql,
  releasesSql,
  segmentAggregatesSql,
  unpairedSql,
} from "./report-queries.js";
import type { DriftReport, ExampleRow, PathRow, ReleaseRef, SegmentReport } from "./report-types.js";
import { type PairedSample, segmentReport } from "./segment-report.js";
import { holmAdjust } from "./stats/index.js";

export interface ReportOptions {
  /** Release id, name, or name@version of the candidate. */
  readonly candidate: string;
  /** The baseline; by default the one the candidate has most pairs against. */
  readonly baseline?: string;
  readonly by?: readonly string[];
  readonly since?: number;
  readonly until?: number;
  /** Segments with fewer pairs say so instead of printing rates (default 30). */
  readonly minPairs?: number;
  /** Pairs per segment sampled for signed-rank tests and bootstrap intervals (default 2000). */
  readonly sampleLimit?: number;
  readonly topPaths?: number;
  readonly examplesPerCategory?: number;
}

const CONFIDENCE = 0.95;

/** Builds the drift report of one candidate against its baseline, from aggregates in SQL. */
export async function buildReport(store: Store, options: ReportOptions): Promise<DriftReport> {
  const releases = await loadReleases(store);
  const candidate = resolveRelease(options.candidate, releases, "candidate");
  const baseline = options.baseline
    ? resolveRelease(options.baseline, releases, "baseline")
    : await defaultBaseline(store, candidate.id, releases);
  const minPairs = options.minPairs ?? 30;
  const sampleLimit = options.sampleLimit ?? 2000;
  const scope: PairScope = {
    database: store.database,
    candidate: candidate.id,
    baseline: baseline.id,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
  };

  const noise = await noiseFloor(store, scope, options.topPaths ?? 20);
  const overallRows = await store.query<Row>(segmentAggregatesSql(scope, null, noise.noisePaths));
  const overallRow = overallRows[0];
  if (overallRow === undefined) {
    throw new ShadowdiffError(
      "BAD_USAGE",
      `no pairs for candidate ${describe(candidate)} against baseline ${describe(baseline)} in the chosen window`,
    );
  }
  const overallSample = await samples(store, scope, null, sampleLimit);
  const overall = segmentReport({
    dimension: null,
    row: overallRow,
    sample: overallSample.get("all") ?? [],
    minPairs,
    confidence: CONFIDENCE,
    netOfNoise: noise.aaPairs > 0,
    seed: 1,
  });

  const segments: Record<string, SegmentReport[]> = {};
  for (const dimension of options.by ?? []) {
    const rows = await store.query<Row>(segmentAggregatesSql(scope, dimension, noise.noisePaths));
    const sampleBySegment = await samples(store, scope, dimension, sampleLimit);
    const reports = rows.map((row, index) =>
      segmentReport({
        dimension,
        row,
        sample: sampleBySegment.get(String(row.segment)) ?? [],
        minPairs,
        confidence: CONFIDENCE,
        netOfNoise: noise.aaPairs > 0,
        seed: index + 2,
      }),
    );
    segments[dimension] = adjustAcrossSegments(reports);
  }

  const [paths, examples, unpaired] = await Promise.all([
    Promise.resolve(noise.paths),
    loadExamples(store, scope, options.examplesPerCategory ?? 3),
    loadUnpaired(store, candidate.id, options.since, options.until),
  ]);
  return {
    schema: "shadowdiff.report/v1",
    candidate,
    baseline,
    window: {
      first: isoOf(overallRow.first_ts),
      last: isoOf(overallRow.last_ts),
    },
    settings: {
      min_pairs: minPairs,
      confidence: CONFIDENCE,
      sample_limit: sampleLimit,
      segments: options.by ?? [],
    },
    unpaired,
    noise: noise.aaPairs > 0 ? { aa_pairs: noise.aaPairs, noise_paths: noise.noisePaths } : null,
    overall,
    segments,
    paths,
    examples,
  };
}

type Row = { readonly segment: string; readonly pairs: number | string; readonly [column: string]: unknown };

interface StoredRelease {
  readonly release_id: string;
  readonly name: string;
  readonly release_version: string;
  readonly model: string;
}

async function loadReleases(store: Store): Promise<StoredRelease[]> {
  return store.query<StoredRelease>(releasesSql(store.database));
}

function toRef(release: StoredRelease | undefined, id: string): ReleaseRef {
  return {
    id,
    name: release?.name || null,
    version: release?.release_version || null,
    model: release?.model || null,
  };
}

/** A release by id, by name (the latest-registered version), or by `name@version`. */
function resolveRelease(reference: string, releases: readonly StoredRelease[], role: string): ReleaseRef {
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
  throw new ShadowdiffError(
    "BAD_USAGE",
    `no ${role} release '${reference}' in the store (known: ${known || "none"})`,
  );
}

async function defaultBaseline(
  store: Store,
  candidate: string,
  releases: readonly StoredRelease[],
): Promise<ReleaseRef> {
  const rows = await store.query<{ candidate: string; baseline: string; pairs: string | number }>(
    candidatesSql(store.database),
  );
  const row = rows.find((entry) => entry.candidate === candidate);
  if (row === undefined) {
    throw new ShadowdiffError("BAD_USAGE", `release ${candidate} has no pairs as a candidate in the store`);
  }
  return toRef(
    releases.find((release) => release.release_id === row.baseline),
    row.baseline,
  );
}

/** Path counts of the candidate and of the baseline's A/A pairs, judged by the noise rule. */
async function noiseFloor(
  store: Store,
  scope: PairScope,
  topPaths: number,
): Promise<{ aaPairs: number; noisePaths: string[]; paths: PathRow[] }> {
  const aaScope: PairScope = { ...scope, candidate: scope.baseline };
  const [pairs, aaPairs, counts, aaCounts] = await Promise.all([
    countOf(store, pairCountSql(scope)),
    countOf(store, pairCountSql(aaScope)),
    store.query<{ path: string; n: string | number }>(pathCountsSql(scope, 10_000)),
    store.query<{ path: string; n: string | number }>(pathCountsSql(aaScope, 10_000)),
  ]);
  const verdicts = judgePaths(
    { pairs, counts: new Map(counts.map((row) => [row.path, Number(row.n)])) },
    aaPairs === 0
      ? null
      : { pairs: aaPairs, counts: new Map(aaCounts.map((row) => [row.path, Number(row.n)])) },
  );
  return {
    aaPairs,
    noisePaths: verdicts
      .filter((verdict) => verdict.noise)
      .map((verdict) => verdict.path)
      .sort(),
    paths: verdicts.slice(0, topPaths).map((verdict) => ({
      path: verdict.path,
      count: verdict.count,
      rate: verdict.rate,
      aa_rate: aaPairs === 0 ? null : verdict.aaRate,
      noise: verdict.noise,
    })),
  };
}

async function countOf(store: Store, sql: string): Promise<number> {
  const rows = await store.query<{ n: string | number }>(sql);
  return Number(rows[0]?.n ?? 0);
}

async function samples(
  store: Store,
  scope: PairScope,
  dimension: string | null,
  limit: number,
): Promise<Map<string, PairedSample[]>> {
  const rows = await store.query<Record<string, unknown>>(pairedSampleSql(scope, dimension, limit));
  const bySegment = new Map<string, PairedSample[]>();
  for (const row of rows) {
    const segment = String(row.segment);
    let list = bySegment.get(segment);
    if (list === undefined) {
      list = [];
      bySegment.set(segment, list);
    }
    list.push({
      baselineLatency: Number(row.baseline_latency_ms),
      candidateLatency: Number(row.candidate_latency_ms),
      baselineCost: Number(row.baseline_cost),
      candidateCost: Number(row.candidate_cost),
      priced: Number(row.priced) === 1,
      baselineTokens: Number(row.baseline_tokens),
      candidateTokens: Number(row.candidate_tokens),
    });
  }
  return bySegment;
}

/** Holm across the segments of one dimension, per test family. */
function adjustAcrossSegments(reports: SegmentReport[]): SegmentReport[] {
  const sufficient = reports.flatMap((report, index) => (report.sufficient ? [{ report, index }] : []));
  if (sufficient.length === 0) return reports;
  const adjusted = reports.slice();
  const families = ["refusal", "errors", "all_ok", "tokens", "cost", "latency"] as const;
  const pValues = families.map((family) =>
    holmAdjust(sufficient.map(({ report }) => familyP(report, family) ?? 1)),
  );
  sufficient.forEach(({ report, index }, position) => {
    if (!report.sufficient) return;
    const p = (family: number) => pValues[family]?.[position] ?? 1;
    adjusted[index] = {
      ...report,
      refusal: { ...report.refusal, p_adjusted: p(0) },
      errors: { ...report.errors, p_adjusted: p(1) },
      tool_calls: { ...report.tool_calls, all_ok: { ...report.tool_calls.all_ok, p_adjusted: p(2) } },
      tokens: { ...report.tokens, p_adjusted: report.tokens.p_value === null ? null : p(3) },
      cost: report.cost.priced
        ? { ...report.cost, p_adjusted: report.cost.p_value === null ? null : p(4) }
        : report.cost,
      latency: {
        ...report.latency,
        paired: {
          ...report.latency.paired,
          p_adjusted: report.latency.paired.p_value === null ? null : p(5),
        },
      },
    };
  });
  return adjusted;
}

function familyP(
  report: SegmentReport,
  family: "refusal" | "errors" | "all_ok" | "tokens" | "cost" | "latency",
): number | null {
  if (!report.sufficient) return null;
  switch (family) {
    case "refusal":
      return report.refusal.p_value;
    case "errors":
      return report.errors.p_value;
    case "all_ok":
      return report.tool_calls.all_ok.p_value;
    case "tokens":
      return report.tokens.p_value;
    case "cost":
      return report.cost.priced ? report.cost.p_value : null;
    case "latency":
      return report.latency.paired.p_value;
  }
}

async function loadExamples(
  store: Store,
  scope: PairScope,
  perCategory: number,
): Promise<Partial<Record<PairCategory, ExampleRow[]>>> {
  const rows = await store.query<{
    category: PairCategory;
    request_id: string;
    replica: number | string;
    reason: string;
  }>(examplesSql(scope, perCategory));
  const examples: Partial<Record<PairCategory, ExampleRow[]>> = {};
  for (const category of PAIR_CATEGORIES) {
    const list = rows
      .filter((row) => row.category === category)
      .map((row) => ({ request_id: row.request_id, replica: Number(row.replica), reason: row.reason }));
    if (list.length > 0) examples[category] = list;
  }
  return examples;
}

async function loadUnpaired(
  store: Store,
  candidate: string,
  since?: number,
  until?: number,
): Promise<{ baseline: number; candidate: number }> {
  const rows = await store.query<{ side: string; n: string | number }>(
    unpairedSql(store.database, candidate, since, until),
  );
  const count = (side: string) => Number(rows.find((row) => row.side === side)?.n ?? 0);
  return { baseline: count("baseline"), candidate: count("candidate") };
}

function isoOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  // ClickHouse returns DateTime as 'YYYY-MM-DD hh:mm:ss' in the server's zone; both stores run in UTC.
  const text = String(value);
  return /^\d+$/.test(text) ? new Date(Number(text) * 1000).toISOString() : `${text.replace(" ", "T")}Z`;
}

function describe(release: ReleaseRef): string {
  return release.name ? `${release.name}@${release.version ?? "?"} (${release.id})` : release.id;
}
