import { PAIR_CATEGORIES, type PairCategory } from "../contracts/categories.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { netDriftMethod } from "../diff/net-drift.js";
import type { PathTally } from "../diff/noise-floor.js";
import type { Store } from "../store/store.js";
import { scoresSql, toolsSql } from "./outcome-queries.js";
import type {
  AaSegment,
  PathsetCount,
  ScoreAggregate,
  SegmentAggregate,
  ToolAggregate,
} from "./report-aggregate.js";
import { judgeNoise, type NoiseJudgement, netCategoryByKey } from "./report-noise.js";
import {
  aaPathCountsSql,
  aaSegmentsSql,
  baselinesOfSql,
  DIMENSION_NAME,
  decodeSampledPair,
  exampleDetailsSql,
  examplesSql,
  hashBound,
  LATENCY_LEVELS,
  PAIRS_PATH,
  type PairScope,
  pathsetCountsSql,
  releasesSql,
  type SampledPairRow,
  segmentAggregatesSql,
  segmentKey,
  segmentSizesSql,
  unpairedSql,
} from "./report-queries.js";
import type { ExampleRow, ReleaseRef } from "./report-types.js";

export interface ReadOptions {
  /** Release id, name, or name@version of the candidate. */
  readonly candidate: string;
  /** The baseline; by default the one the candidate has most pairs against. */
  readonly baseline?: string;
  readonly by?: readonly string[];
  readonly since?: number;
  readonly until?: number;
  /** Pairs per segment sampled for descriptive statistics and the distributions (default 1000). */
  readonly sampleLimit?: number;
  readonly topPaths?: number;
  readonly examplesPerCategory?: number;
}

/** Everything a drift report is built from, read from the store and decoded by name. */
export interface ReportData {
  readonly candidate: ReleaseRef;
  readonly baseline: ReleaseRef;
  readonly dimensions: readonly string[];
  readonly sampleLimit: number;
  /** The overall segment first, then each dimension's segments, largest first. */
  readonly segments: readonly SegmentAggregate[];
  /** The A/A pairs per segment, keyed `dimension=segment` (overall: `=all`); empty without an A/A run. */
  readonly aaSegments: ReadonlyMap<string, AaSegment>;
  readonly noise: NoiseJudgement;
  readonly examples: Partial<Record<PairCategory, ExampleRow[]>>;
  readonly unpaired: { readonly baseline: number; readonly candidate: number };
}

type Row = Readonly<Record<string, unknown>>;

/** Reads a candidate's report data: a few queries, aggregation in SQL, bounded samples. */
export async function readReportData(store: Store, options: ReadOptions): Promise<ReportData> {
  const { candidate, baseline, scope } = await resolveScope(store, options);
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
  // The A/A path counts run beside the main aggregate; its A/A lookups find nothing without an A/A run.
  const [rows, aaCounts, toolRows] = await Promise.all([
    store.query<Row>(segmentAggregatesSql(scope, dimensions, bounds, sampleCap)),
    store.query<{ path: string; n: string | number }>(aaPathCountsSql(scope)),
    store.query<Row>(toolsSql(scope, dimensions)),
  ]);
  // The scores pass (a FINAL scan of its own, ~5 s at 10M pairs) runs only when some pair has a
  // score or a check: most stores have none.
  const scored = rows.some((row) => row.dimension === "" && Number(row.scored_pairs ?? 0) > 0);
  const scoreRows = scored ? await store.query<Row>(scoresSql(scope, dimensions)) : [];
  const aaPaths = aaTally(aaCounts);
  const scoresOf = groupBySegment(scoreRows, decodeScore);
  const segments = rows.map((row) => {
    const share = bounds.find(
      (bound) => bound.dimension === row.dimension && bound.segment === row.segment,
    )?.share;
    const key = segmentKey(String(row.dimension), String(row.segment));
    const completed = Number(row.completed_pairs ?? 0);
    return decodeSegment(
      row,
      BigInt(hashBound(share ?? 1)),
      sampleCap,
      scoresOf.get(key) ?? [],
      toolRows
        .filter((toolRow) => segmentKey(String(toolRow.dimension), String(toolRow.segment)) === key)
        .map((toolRow) => decodeTool(toolRow, completed)),
    );
  });
  const overall = segments.find((segment) => segment.dimension === "") as SegmentAggregate;
  const noise = judgeNoise(overall.pathsets, aaPaths, options.topPaths ?? 20);
  const [examples, unpaired, aaSegments] = await Promise.all([
    loadExamples(store, scope, options.examplesPerCategory ?? 3, overall, noise, sampleLimit),
    loadUnpaired(store, candidate.id, options.since, options.until),
    aaPaths === null ? new Map<string, AaSegment>() : loadAaSegments(store, scope, dimensions, segments),
  ]);
  return {
    candidate,
    baseline,
    dimensions,
    sampleLimit,
    segments: [overall, ...segments.filter((segment) => segment.dimension !== "")],
    aaSegments,
    noise,
    examples,
    unpaired,
  };
}

/**
 * The A/A pairs per segment. Where the A/A run covers the candidate's requests (the paired
 * method), the matched table already holds them: the A/A differs on `both + aaOnly` of the matched
 * requests. Only an A/A run over other requests needs its own pass, by the A/A pairs' labels.
 */
async function loadAaSegments(
  store: Store,
  scope: PairScope,
  dimensions: readonly string[],
  segments: readonly SegmentAggregate[],
): Promise<Map<string, AaSegment>> {
  const overall = segments.find((segment) => segment.dimension === "") as SegmentAggregate;
  const matchedOf = (segment: SegmentAggregate) =>
    segment.matched.both + segment.matched.candidateOnly + segment.matched.aaOnly + segment.matched.neither;
  const paired =
    netDriftMethod({
      pairs: overall.completed,
      differing: overall.completedDiffering,
      aaPairs: matchedOf(overall),
      aaDiffering: overall.matched.both + overall.matched.aaOnly,
      matched: overall.matched,
    }) === "paired";
  if (paired) {
    return new Map(
      segments.map((segment) => [
        segmentKey(segment.dimension, segment.segment),
        { completed: matchedOf(segment), differing: segment.matched.both + segment.matched.aaOnly },
      ]),
    );
  }
  const rows = await store.query<Row>(aaSegmentsSql(scope, dimensions));
  return new Map(
    rows.map((row) => [
      segmentKey(String(row.dimension), String(row.segment)),
      { completed: Number(row.aa_completed), differing: Number(row.aa_differing) },
    ]),
  );
}

/**
 * A candidate's A/A noise paths without the rest of its report, for the harvest: one pass over
 * its path sets and one over the baseline's A/A pairs, judged exactly as the report judges them.
 */
export async function readNoiseFloor(
  store: Store,
  options: Pick<ReadOptions, "candidate" | "baseline">,
): Promise<{ candidate: ReleaseRef; baseline: ReleaseRef; noisePaths: string[]; pathsets: PathsetCount[] }> {
  const { candidate, baseline, scope } = await resolveScope(store, options);
  const [rows, aaCounts] = await Promise.all([
    store.query<Row>(pathsetCountsSql(scope)),
    store.query<{ path: string; n: string | number }>(aaPathCountsSql(scope)),
  ]);
  const pathsets = pathsetsOf(rows[0] ?? {});
  if (pathsets.length === 0) throw noPairs(candidate, baseline);
  return {
    candidate,
    baseline,
    noisePaths: [...judgeNoise(pathsets, aaTally(aaCounts), 0).noisePaths],
    pathsets,
  };
}

function aaTally(rows: readonly { path: string; n: string | number }[]): PathTally | null {
  const counts = new Map(rows.map((row) => [row.path, Number(row.n)]));
  const pairs = counts.get(PAIRS_PATH) ?? 0;
  counts.delete(PAIRS_PATH);
  return pairs === 0 ? null : { pairs, counts };
}

function groupBySegment<T>(rows: readonly Row[], decode: (row: Row) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = segmentKey(String(row.dimension), String(row.segment));
    const list = groups.get(key) ?? [];
    list.push(decode(row));
    groups.set(key, list);
  }
  return groups;
}

/** Two 32-bit halves of an exact UInt64 sum, as one number in the given unit. */
function halves(row: Row, name: string, unit: number): number {
  return (
    Number(BigInt(String(row[`${name}_hi`] ?? 0)) * 4294967296n + BigInt(String(row[`${name}_lo`] ?? 0))) /
    unit
  );
}

function decodeScore(row: Row): ScoreAggregate {
  const n = (column: string) => Number(row[column] ?? 0);
  const sumXX = halves(row, "bb", 1e6);
  const sumYY = halves(row, "cc", 1e6);
  return {
    name: String(row.name),
    source: row.source === "check" ? "check" : "record",
    both: n("both"),
    baselineOnly: n("baseline_only"),
    candidateOnly: n("candidate_only"),
    nonBinary: n("non_binary"),
    gained: n("gained"),
    lost: n("lost"),
    moments: {
      n: n("both"),
      sumX: n("sum_b") / 1e6,
      sumY: n("sum_c") / 1e6,
      sumXX,
      sumYY,
      // Σbc from Σ(b + c)²: every square is a non-negative exact integer sum.
      sumXY: (halves(row, "ss", 1e6) - sumXX - sumYY) / 2,
    },
    baselineCounts: { pass: n("baseline_pass"), fail: n("baseline_fail"), na: n("baseline_na") },
    candidateCounts: { pass: n("candidate_pass"), fail: n("candidate_fail"), na: n("candidate_na") },
  };
}

function decodeTool(row: Row, completed: number): ToolAggregate {
  const n = (column: string) => Number(row[column] ?? 0);
  return {
    tool: String(row.tool),
    both: n("both"),
    gained: n("gained"),
    lost: n("lost"),
    // Tasks without the tool add zeros: the moments are over every completed pair.
    calls: {
      n: completed,
      sumX: n("sum_b"),
      sumY: n("sum_c"),
      sumXX: n("sum_bb"),
      sumYY: n("sum_cc"),
      sumXY: n("sum_bc"),
    },
    callsThird: { sumXXX: n("sum_bbb"), sumXXY: n("sum_bbc"), sumXYY: n("sum_bcc"), sumYYY: n("sum_ccc") },
    failedBaseline: n("failed_b"),
    failedCandidate: n("failed_c"),
  };
}

function decodeSegment(
  row: Row,
  bound: bigint,
  cap: number,
  scores: readonly ScoreAggregate[],
  tools: readonly ToolAggregate[],
): SegmentAggregate {
  const n = (column: string) => Number(row[column] ?? 0);
  // Cost squares are micro-dollars² (report-queries.ts): 10^12 of them to a dollar².
  const exact = (name: string) => halves(row, name, 1e12);
  const binary = (baseline: string, candidate: string, gained: string, lost: string) => ({
    baseline: n(baseline),
    candidate: n(candidate),
    gained: n(gained),
    lost: n(lost),
  });
  const quantiles = (column: string) => ((row[column] as unknown[] | undefined) ?? []).map(Number);
  return {
    dimension: String(row.dimension),
    segment: String(row.segment),
    pairs: n("pairs"),
    categories: Object.fromEntries(
      PAIR_CATEGORIES.map((category) => [category, n(`c_${category}`)]),
    ) as Record<PairCategory, number>,
    pathsets: pathsetsOf(row),
    refusal: binary("baseline_refusals", "candidate_refusals", "refusal_gained", "refusal_lost"),
    errors: binary("baseline_errors", "candidate_errors", "error_gained", "error_lost"),
    // "Gained" here is a pair whose tools newly all work; "lost" one that newly fails.
    toolsOk: binary("baseline_tools_ok", "candidate_tools_ok", "tools_ok_gained", "tools_ok_lost"),
    toolCalls: {
      baseline: {
        calls: n("sum_baseline_tool_calls"),
        invalid: n("sum_baseline_invalid_calls"),
        failed: n("sum_baseline_failed_calls"),
      },
      candidate: {
        calls: n("sum_candidate_tool_calls"),
        invalid: n("sum_candidate_invalid_calls"),
        failed: n("sum_candidate_failed_calls"),
      },
    },
    tokens: {
      baselineSum: n("sum_baseline_tokens"),
      candidateSum: n("sum_candidate_tokens"),
      baselineMedian: n("baseline_tokens_median"),
      candidateMedian: n("candidate_tokens_median"),
    },
    cost: {
      pricedPairs: n("priced_pairs"),
      baselineUnpriced: n("baseline_unpriced"),
      candidateUnpriced: n("candidate_unpriced"),
      pairs: n("cost_pairs"),
      baselineSum: n("baseline_cost_nano") / 1e9,
      candidateSum: n("candidate_cost_nano") / 1e9,
      baselineMedian: n("baseline_cost_median"),
      candidateMedian: n("candidate_cost_median"),
      moments: {
        n: n("cost_pairs"),
        sumX: n("cost_b_micro") / 1e6,
        sumY: n("cost_c_micro") / 1e6,
        sumXX: exact("cost_bb"),
        sumYY: exact("cost_cc"),
        sumXY: exact("cost_bc"),
      },
      // Cubes are in (10 µ$)³: 10^15 of them to a dollar³.
      third: {
        sumXXX: halves(row, "cost_bbb", 1e15),
        sumXXY: halves(row, "cost_bbc", 1e15),
        sumXYY: halves(row, "cost_bcc", 1e15),
        sumYYY: halves(row, "cost_ccc", 1e15),
      },
    },
    baselineFailed: n("baseline_failed"),
    completed: n("completed_pairs"),
    completedDiffering: n("completed_differing"),
    matched: {
      both: n("matched_both"),
      candidateOnly: n("matched_candidate_only"),
      aaOnly: n("matched_aa_only"),
      neither: n("matched_neither"),
    },
    latency: {
      levels: LATENCY_LEVELS,
      baseline: quantiles("baseline_latency"),
      candidate: quantiles("candidate_latency"),
    },
    scores,
    tools,
    sample: sampledPairs(row, bound, cap),
    firstTs: isoOf(row.first_ts),
    lastTs: isoOf(row.last_ts),
  };
}

/** Path-set counts from an aggregate row's `pathset_counts` and `pathset_names` (the report's, or `pathsetCountsSql`'s). */
function pathsetsOf(row: Row): PathsetCount[] {
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
  const pathsets = new Map<string, PathsetCount>();
  keys.forEach((rawKey, index) => {
    const key = String(rawKey);
    const name = names.get(key);
    if (name === undefined) throw new ShadowdiffError("STORE_QUERY_FAILED", `path set ${key} has no name`);
    const tab = name.indexOf("\t");
    const paths = name.slice(tab + 1);
    const count = Number(counts[index] ?? 0) + (pathsets.get(key)?.count ?? 0);
    pathsets.set(key, {
      key,
      category: name.slice(0, tab) as PairCategory,
      paths: paths === "" ? [] : paths.split("\n"),
      count,
    });
  });
  return [...pathsets.values()];
}

/**
 * The segment's sampled pairs: of the candidates its combinations sent up, those under the
 * segment's own bound, ordered by key hash (ties broken by key). That set is every pair of the
 * segment whose hash is at most the bound: a prefix of the segment in hash order.
 */
function sampledPairs(row: Row, bound: bigint, cap: number): SampledPairRow[] {
  const tuples = (row.sample as (string | number)[][] | undefined) ?? [];
  if (tuples.length !== Number(row.sample_candidates)) {
    // Which rows fill a full array depends on read order: refuse rather than report unstable numbers.
    throw new ShadowdiffError(
      "STORE_QUERY_FAILED",
      `sample of segment '${String(row.segment)}' hit its cap of ${cap} pairs; the segment size estimate was off`,
    );
  }
  return tuples
    .map((tuple) => ({ pair: decodeSampledPair(tuple), hash: BigInt(tuple[0] ?? 0) }))
    .filter((entry) => entry.hash <= bound)
    .sort((a, b) => {
      if (a.hash !== b.hash) return a.hash < b.hash ? -1 : 1;
      const left = String(a.pair.request_id);
      const right = String(b.pair.request_id);
      return left < right ? -1 : left > right ? 1 : Number(a.pair.replica) - Number(b.pair.replica);
    })
    .map((entry) => entry.pair);
}

/** The pairs a report reads: its candidate, the baseline (given, or the one with most pairs), the window. */
async function resolveScope(
  store: Store,
  options: Pick<ReadOptions, "candidate" | "baseline" | "since" | "until">,
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

interface StoredRelease {
  readonly release_id: string;
  readonly name: string;
  readonly release_version: string;
  readonly model: string;
}

function noPairs(candidate: ReleaseRef, baseline: ReleaseRef): ShadowdiffError {
  return new ShadowdiffError(
    "BAD_USAGE",
    `no pairs for candidate ${describe(candidate)} against baseline ${describe(baseline)} in the chosen window`,
  );
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
    const key = segmentKey(dimension, segment);
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

/**
 * A few example pairs per category net of noise: the ones with the smallest key hash, so the same
 * ones come back every time. The overall sample is a hash-order prefix of all pairs, so a
 * category with enough pairs in it has its examples there; only rarer categories need a query.
 */
async function loadExamples(
  store: Store,
  scope: PairScope,
  perCategory: number,
  overall: SegmentAggregate,
  noise: NoiseJudgement,
  sampleLimit: number,
): Promise<Partial<Record<PairCategory, ExampleRow[]>>> {
  const netOf = netCategoryByKey(overall.pathsets, new Set(noise.noisePaths));
  const totals = new Map<PairCategory, { count: number; keys: string[] }>();
  for (const pathset of overall.pathsets) {
    const category = netOf.get(pathset.key) as PairCategory;
    const total = totals.get(category) ?? { count: 0, keys: [] };
    total.count += pathset.count;
    total.keys.push(pathset.key);
    totals.set(category, total);
  }
  const examples: Partial<Record<PairCategory, ExampleRow[]>> = {};
  const missing = new Map<string, { share: number; keys: string[] }>();
  const fromSample: { category: PairCategory; id: string; replica: number }[] = [];
  const sampled = overall.sample.slice(0, 10 * sampleLimit);
  for (const category of PAIR_CATEGORIES) {
    const total = totals.get(category);
    if (category === "identical" || total === undefined || total.count === 0) continue;
    const found = sampled
      .filter((pair) => netOf.get(String(pair.pathset_key)) === category)
      .slice(0, perCategory);
    if (found.length >= Math.min(perCategory, total.count)) {
      fromSample.push(
        ...found.map((pair) => ({ category, id: String(pair.request_id), replica: Number(pair.replica) })),
      );
    } else {
      // ~20x the examples needed, by hash, before the sort picks the first few.
      missing.set(category, { share: Math.min(1, (20 * perCategory) / total.count), keys: total.keys });
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
