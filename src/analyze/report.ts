import { PAIR_CATEGORIES, type PairCategory } from "../contracts/categories.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { DRIFT_CATEGORIES } from "../diff/category.js";
import { judgePaths } from "../diff/noise-floor.js";
import type { Store } from "../store/store.js";
import { distributionOf } from "./distribution.js";
import {
  aaPathCountsSql,
  baselinesOfSql,
  DIMENSION_NAME,
  exampleDetailsSql,
  examplesSql,
  hashBound,
  PAIRS_PATH,
  type PairScope,
  pathsetCountsSql,
  releasesSql,
  segmentAggregatesSql,
  segmentSizesSql,
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
  /** Pairs per segment sampled for signed-rank tests and bootstrap intervals (default 1000). */
  readonly sampleLimit?: number;
  readonly topPaths?: number;
  readonly examplesPerCategory?: number;
}

const CONFIDENCE = 0.95;

/** Builds the drift report of one candidate against its baseline, from aggregates in SQL. */
export async function buildReport(store: Store, options: ReportOptions): Promise<DriftReport> {
  const { candidate, baseline, scope } = await resolveScope(store, options);
  const minPairs = options.minPairs ?? 30;
  const sampleLimit = options.sampleLimit ?? 1000;

  const dimensions = options.by ?? [];
  for (const dimension of dimensions) {
    if (!DIMENSION_NAME.test(dimension)) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `--by ${dimension}: a label name is letters, digits, '_', '.' or '-'`,
      );
    }
  }
  const combinations = await store.query<Record<string, string | number>>(segmentSizesSql(scope, dimensions));
  const sizes = segmentSizes(combinations, dimensions);
  if (sizes.length === 0 || sizes.every((size) => size.n === 0)) throw noPairs(candidate, baseline);
  // Each segment samples ~3x the pairs it needs by hash; the cap is far above what a share yields.
  const bounds = sizes.map((size) => ({
    dimension: size.dimension,
    segment: size.segment,
    share: Math.min(1, (3 * sampleLimit) / Math.max(1, size.n)),
  }));
  const sampleCap = 10 * sampleLimit;
  const boundOf = (row: Row) =>
    BigInt(
      hashBound(
        bounds.find((bound) => bound.dimension === row.dimension && bound.segment === row.segment)?.share ??
          1,
      ),
    );
  const [rows, aaCounts] = await Promise.all([
    store.query<Row>(segmentAggregatesSql(scope, dimensions, bounds, sampleCap)),
    store.query<{ path: string; n: string | number }>(aaPathCountsSql(scope)),
  ]);
  const overallRow = rows.find((row) => row.dimension === "") as Row;
  const noise = judgeNoise(pathsetsOf(overallRow), aaCounts, options.topPaths ?? 20);
  const noisePaths = new Set(noise.noisePaths);
  const sampleOf = (row: Row) => sampledPairs(row, boundOf(row), sampleCap);
  const reportOf = (row: Row, seed: number, sample = pairedSample(sampleOf(row), sampleLimit)) =>
    segmentReport({
      dimension: row.dimension === "" ? null : String(row.dimension),
      row,
      noiseOnly: noiseOnlyPairs(pathsetsOf(row), noisePaths),
      sample,
      minPairs,
      confidence: CONFIDENCE,
      netOfNoise: noise.aaPairs > 0,
      seed,
    });
  // The overall sample serves its statistics, the examples and the distributions: read once.
  const overallSampled = sampleOf(overallRow);
  const overallSample = pairedSample(overallSampled, sampleLimit);
  const overall = reportOf(overallRow, 1, overallSample);
  const segments: Record<string, SegmentReport[]> = {};
  for (const dimension of dimensions) {
    const reports = rows
      .filter((row) => row.dimension === dimension)
      .map((row, index) => reportOf(row, index + 2));
    segments[dimension] = adjustAcrossSegments(reports);
  }

  const paths = noise.paths;
  const [examples, unpaired] = await Promise.all([
    loadExamples(store, scope, options.examplesPerCategory ?? 3, overallRow, overallSampled),
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
    distribution: distributionOf(overallSample, CONFIDENCE),
  };
}

type Row = {
  readonly dimension: string;
  readonly segment: string;
  readonly pairs: number | string;
  readonly [column: string]: unknown;
};

interface StoredRelease {
  readonly release_id: string;
  readonly name: string;
  readonly release_version: string;
  readonly model: string;
}

/**
 * A candidate's A/A noise floor without the rest of its report, for the harvest: one pass over
 * its path sets and one over the baseline's A/A pairs, judged exactly as the report judges them.
 */
export async function noiseFloorOf(
  store: Store,
  options: Pick<ReportOptions, "candidate" | "baseline">,
): Promise<{ candidate: ReleaseRef; baseline: ReleaseRef; noisePaths: string[] }> {
  const { candidate, baseline, scope } = await resolveScope(store, options);
  const [rows, aaCounts] = await Promise.all([
    store.query<Record<string, unknown>>(pathsetCountsSql(scope)),
    store.query<{ path: string; n: string | number }>(aaPathCountsSql(scope)),
  ]);
  const pathsets = pathsetsOf(rows[0] ?? {});
  if (pathsets.size === 0) throw noPairs(candidate, baseline);
  return { candidate, baseline, noisePaths: judgeNoise(pathsets, aaCounts, 0).noisePaths };
}

/** The pairs a report reads: its candidate, the baseline (given, or the one with most pairs), the window. */
async function resolveScope(
  store: Store,
  options: Pick<ReportOptions, "candidate" | "baseline" | "since" | "until">,
): Promise<{ candidate: ReleaseRef; baseline: ReleaseRef; scope: PairScope }> {
  const releases = await loadReleases(store);
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

function noPairs(candidate: ReleaseRef, baseline: ReleaseRef): ShadowdiffError {
  return new ShadowdiffError(
    "BAD_USAGE",
    `no pairs for candidate ${describe(candidate)} against baseline ${describe(baseline)} in the chosen window`,
  );
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

/** Pairs per segment (overall and per dimension value), summed from per-combination counts. */
function segmentSizes(
  combinations: readonly Record<string, string | number>[],
  dimensions: readonly string[],
): { dimension: string; segment: string; n: number }[] {
  const sizes = new Map<string, { dimension: string; segment: string; n: number }>();
  const add = (dimension: string, segment: string, n: number) => {
    const key = `${dimension}=${segment}`;
    const size = sizes.get(key) ?? { dimension, segment, n: 0 };
    size.n += n;
    sizes.set(key, size);
  };
  for (const combination of combinations) {
    const n = Number(combination.n);
    add("", "all", n);
    dimensions.forEach((dimension, index) => {
      add(dimension, String(combination[`d${index}`]), n);
    });
  }
  return [...sizes.values()];
}

/** Path-set counts from an aggregate row's `pathset_counts` and `pathset_names` (the report's, or `pathsetCountsSql`'s). */
function pathsetsOf(row: Readonly<Record<string, unknown>>): Map<string, number> {
  const [keys, counts] = (row.pathset_counts as [(string | number)[], (string | number)[]] | undefined) ?? [
    [],
    [],
  ];
  const names = new Map(
    ((row.pathset_names as [string | number, string][] | undefined) ?? []).map(([key, name]) => [
      String(key),
      name,
    ]),
  );
  const pathsets = new Map<string, number>();
  keys.forEach((key, index) => {
    const name = names.get(String(key));
    if (name === undefined) throw new ShadowdiffError("STORE_QUERY_FAILED", `path set ${key} has no name`);
    pathsets.set(name, (pathsets.get(name) ?? 0) + Number(counts[index] ?? 0));
  });
  return pathsets;
}

/** Per-path counts of the candidate (from its path sets) and of the A/A pairs, judged by the noise rule. */
function judgeNoise(
  pathsets: ReadonlyMap<string, number>,
  aaRows: readonly { path: string; n: string | number }[],
  topPaths: number,
): { aaPairs: number; noisePaths: string[]; paths: PathRow[] } {
  const counts = new Map<string, number>();
  let pairs = 0;
  for (const [key, count] of pathsets) {
    pairs += count;
    for (const path of pathsOfKey(key)) counts.set(path, (counts.get(path) ?? 0) + count);
  }
  const aaCounts = new Map(aaRows.map((row) => [row.path, Number(row.n)]));
  const aaPairs = aaCounts.get(PAIRS_PATH) ?? 0;
  aaCounts.delete(PAIRS_PATH);
  const verdicts = judgePaths({ pairs, counts }, aaPairs === 0 ? null : { pairs: aaPairs, counts: aaCounts });
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

function pathsOfKey(key: string): string[] {
  const paths = key.slice(key.indexOf("\t") + 1);
  return paths === "" ? [] : paths.split("\n");
}

/** Pairs in a drift category all of whose differing paths are noise. */
function noiseOnlyPairs(pathsets: ReadonlyMap<string, number>, noisePaths: ReadonlySet<string>): number {
  if (noisePaths.size === 0) return 0;
  let noiseOnly = 0;
  for (const [key, count] of pathsets) {
    const category = key.slice(0, key.indexOf("\t")) as PairCategory;
    const paths = pathsOfKey(key);
    if (DRIFT_CATEGORIES.has(category) && paths.length > 0 && paths.every((path) => noisePaths.has(path))) {
      noiseOnly += count;
    }
  }
  return noiseOnly;
}

/** (hash, request id, replica, latencies, costs, priced, tokens, category). */
type SampleTuple = [
  string | number,
  string,
  number | string,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  PairCategory,
];

interface SampledPair {
  readonly hash: bigint;
  readonly id: string;
  readonly replica: number;
  readonly tuple: SampleTuple;
}

/**
 * The segment's sampled pairs: of the candidates its combinations sent up, those under the
 * segment's own bound, ordered by key hash (ties broken by key). That set is every pair of the
 * segment whose hash is at most the bound: a prefix of the segment in hash order.
 */
function sampledPairs(row: Row, bound: bigint, cap: number): SampledPair[] {
  const tuples = (row.sample as SampleTuple[] | undefined) ?? [];
  if (tuples.length !== Number(row.sample_candidates)) {
    // Which rows fill a full array depends on read order: refuse rather than report unstable numbers.
    throw new ShadowdiffError(
      "STORE_QUERY_FAILED",
      `sample of segment '${row.segment}' hit its cap of ${cap} pairs; the segment size estimate was off`,
    );
  }
  return tuples
    .map((tuple) => ({ hash: BigInt(tuple[0]), id: tuple[1], replica: Number(tuple[2]), tuple }))
    .filter((entry) => entry.hash <= bound)
    .sort((a, b) =>
      a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : a.replica - b.replica,
    );
}

/** The first `limit` sampled pairs, as the paired statistics read them. */
function pairedSample(pairs: readonly SampledPair[], limit: number): PairedSample[] {
  return pairs.slice(0, limit).map(({ tuple }) => ({
    baselineLatency: Number(tuple[3]),
    candidateLatency: Number(tuple[4]),
    baselineCost: Number(tuple[5]),
    candidateCost: Number(tuple[6]),
    priced: Number(tuple[7]) === 1,
    baselineTokens: Number(tuple[8]),
    candidateTokens: Number(tuple[9]),
  }));
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

/**
 * A few example pairs per category: the ones with the smallest key hash, so the same ones come
 * back every time. The overall sample is a hash-order prefix of all pairs, so a category with
 * enough pairs in it has its examples there; only rarer categories need a query of their own.
 */
async function loadExamples(
  store: Store,
  scope: PairScope,
  perCategory: number,
  overall: Row,
  sampled: readonly SampledPair[],
): Promise<Partial<Record<PairCategory, ExampleRow[]>>> {
  const examples: Partial<Record<PairCategory, ExampleRow[]>> = {};
  const missing = new Map<string, number>();
  const fromSample: { category: PairCategory; id: string; replica: number }[] = [];
  for (const category of PAIR_CATEGORIES) {
    if (category === "identical") continue;
    const count = Number(overall[`c_${category}`] ?? 0);
    const found = sampled.filter((pair) => pair.tuple[10] === category).slice(0, perCategory);
    if (found.length >= Math.min(perCategory, count)) {
      fromSample.push(...found.map((pair) => ({ category, id: pair.id, replica: pair.replica })));
    } else {
      // ~20x the examples needed, by hash, before the sort picks the first few.
      missing.set(category, Math.min(1, (20 * perCategory) / count));
    }
  }
  if (fromSample.length > 0) {
    const details = await store.query<ExampleDetails>(exampleDetailsSql(scope, fromSample));
    const detailsOf = new Map(details.map((row) => [`${row.request_id}#${Number(row.replica)}`, row]));
    for (const example of fromSample) {
      const list = examples[example.category] ?? [];
      list.push(exampleRow(example.id, example.replica, detailsOf.get(`${example.id}#${example.replica}`)));
      examples[example.category] = list;
    }
  }
  if (missing.size === 0) return examples;
  const rows = await store.query<ExampleDetails & { category: PairCategory }>(
    examplesSql(scope, perCategory, missing),
  );
  for (const category of PAIR_CATEGORIES) {
    const list = rows
      .filter((row) => row.category === category)
      .map((row) => exampleRow(row.request_id, Number(row.replica), row));
    if (list.length > 0) examples[category] = list;
  }
  return examples;
}

interface ExampleDetails {
  readonly request_id: string;
  readonly replica: number | string;
  readonly reason: string;
  readonly alignment: string;
  readonly baseline_steps: string;
  readonly candidate_steps: string;
}

function exampleRow(id: string, replica: number, details: ExampleDetails | undefined): ExampleRow {
  const steps = (text: string | undefined) =>
    text ? (JSON.parse(text) as ExampleRow["baseline_steps"]) : [];
  return {
    request_id: id,
    replica,
    reason: details?.reason ?? "",
    alignment: details?.alignment ?? "",
    baseline_steps: steps(details?.baseline_steps),
    candidate_steps: steps(details?.candidate_steps),
  };
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
