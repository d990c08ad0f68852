import type { PairCategory } from "../contracts/categories.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { netDriftMethod } from "../diff/net-drift.js";
import type { PathTally } from "../diff/noise-floor.js";
import { PAIR_ROLLUP, type Rollup, SCORE_ROLLUP, TOOL_ROLLUP } from "../store/rollups.js";
import type { Store } from "../store/store.js";
import { aaSegmentsSql } from "./aa-queries.js";
import { segmentAggregatesSql } from "./aggregate-queries.js";
import { readJudgeScores } from "./judge-reader.js";
import { scoresSql, toolsSql } from "./outcome-queries.js";
import type { AaSegment, PathsetCount, SegmentAggregate } from "./report-aggregate.js";
import { duplicateFreeSnapshot, unchanged } from "./report-consistency.js";
import { decodeScore, decodeSegment, decodeTool, pathsetsOf } from "./report-decode.js";
import { loadExamples } from "./report-examples.js";
import { judgeNoise, type NoiseJudgement } from "./report-noise.js";
import {
  aaPathCountsSql,
  DIMENSION_NAME,
  hashBound,
  manifestsSql,
  PAIRS_PATH,
  type PairScope,
  pathsetCountsSql,
  segmentKey,
  segmentSizesSql,
  unpairedSql,
} from "./report-queries.js";
import { noPairs, resolveScope } from "./report-scope.js";
import type { ExampleRow, ReleaseRef } from "./report-types.js";
import { rollupSegmentsSql, rollupSizesSql } from "./rollup-queries.js";

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
  /**
   * Whether the store holds each release's manifest. Tool calls are checked against a release's
   * schemas only when its manifest was given (`--release`), and then it is stored with the pairs.
   */
  readonly manifests: { readonly baseline: boolean; readonly candidate: boolean };
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
  // Whether the scope holds each pair once, and whether the rollups cover it: then the counters,
  // path sets, tools and scores come from the rollups and only what they cannot hold (latency
  // quantiles, the A/A lookups, the hash sample) is scanned.
  const snapshot = await duplicateFreeSnapshot(store, scope);
  const rollup = snapshot?.rollup ?? null;
  const combinations = await store.query<Record<string, string | number>>(
    rollup === null
      ? segmentSizesSql(scope, dimensions)
      : rollupSizesSql(PAIR_ROLLUP, scope.database, rollup, dimensions),
  );
  const sizes = segmentSizes(combinations, dimensions);
  if (sizes.length === 0 || sizes.every((size) => size.n === 0)) throw noPairs(candidate, baseline);
  // Each segment samples ~3x the pairs it needs by hash; the cap is far above what a share yields.
  const bounds = sizes.map((size) => ({
    dimension: size.dimension,
    segment: size.segment,
    share: Math.min(1, (3 * sampleLimit) / Math.max(1, size.n)),
  }));
  const sampleCap = 10 * sampleLimit;
  // The scores and tools passes (each a scan of its own, ~2-3 s of one core at 10M pairs, or a
  // few thousand rollup rows) run only when some pair has a score or a check, or a tool call. The
  // passes are issued at once (a server runs them side by side). The A/A lookups and path counts
  // find nothing without an A/A run.
  const someCombinationHas = (column: string) =>
    combinations.some((combination) => Number(combination[column] ?? 0) > 0);
  const tooled = someCombinationHas("tooled");
  const scored = someCombinationHas("scored");
  const scanPasses = (passScope: PairScope) =>
    Promise.all([
      store.query<Row>(segmentAggregatesSql(passScope, dimensions, bounds, sampleCap)),
      tooled ? store.query<Row>(toolsSql(passScope, dimensions)) : [],
      scored ? store.query<Row>(scoresSql(passScope, dimensions)) : [],
    ]);
  const rollupPasses = async (filter: string): Promise<[Row[], Row[], Row[]] | null> => {
    const read = (target: Rollup) =>
      store.query<Row>(rollupSegmentsSql(target, scope.database, filter, dimensions));
    const [counters, lean, tools, scores] = await Promise.all([
      read(PAIR_ROLLUP),
      store.query<Row>(
        segmentAggregatesSql({ ...scope, duplicateFree: true }, dimensions, bounds, sampleCap, {
          counters: false,
        }),
      ),
      tooled ? read(TOOL_ROLLUP) : [],
      scored ? read(SCORE_ROLLUP) : [],
    ]);
    const rows = mergeBySegment(counters, lean);
    return rows === null ? null : [rows, tools, scores];
  };
  const [aaCounts, judgeScores, firstRead] = await Promise.all([
    store.query<{ path: string; n: string | number }>(aaPathCountsSql(scope)),
    readJudgeScores(store, scope, dimensions),
    rollup !== null
      ? rollupPasses(rollup)
      : scanPasses(snapshot === null ? scope : { ...scope, duplicateFree: true }),
  ]);
  // Read without FINAL (or from the rollups), a table that took an insert or a merge meanwhile is
  // read again with FINAL.
  const [rows, toolRows, scoreRows] =
    firstRead !== null && (snapshot === null || (await unchanged(store, snapshot)))
      ? firstRead
      : await scanPasses(scope);
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
      // The judge's preference is a score like the record's (named `judge`, source `judge`).
      [...(scoresOf.get(key) ?? []), ...[judgeScores.get(key) ?? []].flat()],
      toolRows
        .filter((toolRow) => segmentKey(String(toolRow.dimension), String(toolRow.segment)) === key)
        .map((toolRow) => decodeTool(toolRow, completed)),
    );
  });
  const overall = segments.find((segment) => segment.dimension === "") as SegmentAggregate;
  const noise = judgeNoise(overall.pathsets, aaPaths, options.topPaths ?? 20);
  const [examples, unpaired, aaSegments, manifests] = await Promise.all([
    loadExamples(store, scope, options.examplesPerCategory ?? 3, overall, noise, sampleLimit),
    loadUnpaired(store, candidate.id, options.since, options.until),
    aaPaths === null ? new Map<string, AaSegment>() : loadAaSegments(store, scope, dimensions, segments),
    store.query<{ release_id: string }>(manifestsSql(store.database, [candidate.id, baseline.id])),
  ]);
  const hasManifest = (id: string) => manifests.some((row) => row.release_id === id);
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
    manifests: { baseline: hasManifest(baseline.id), candidate: hasManifest(candidate.id) },
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

/**
 * The rollup's counters and path sets of each segment joined with the lean scan's quantiles,
 * A/A counts and sample, in the counters' order; null if the two disagree on the segments (they
 * read the same pairs, so that would be a fault, and the report reads the pairs instead).
 */
function mergeBySegment(counters: readonly Row[], lean: readonly Row[]): Row[] | null {
  const keyOf = (row: Row) => segmentKey(String(row.dimension), String(row.segment));
  const leanOf = new Map(lean.map((row) => [keyOf(row), row]));
  if (leanOf.size !== counters.length) return null;
  const merged: Row[] = [];
  for (const row of counters) {
    const scanned = leanOf.get(keyOf(row));
    if (scanned === undefined) return null;
    merged.push({ ...row, ...scanned });
  }
  return merged;
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
