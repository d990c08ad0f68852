import { PAIR_CATEGORIES, type PairCategory } from "../contracts/categories.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { decodeSampledPair, LATENCY_LEVELS, type SampledPairRow } from "./aggregate-queries.js";
import type { PathsetCount, ScoreAggregate, SegmentAggregate, ToolAggregate } from "./report-aggregate.js";

/** Decoding the report's store rows by column name into the builder's named aggregates. */
type Row = Readonly<Record<string, unknown>>;

/** Two 32-bit halves of an exact UInt64 sum, as one number in the given unit. */
export function halves(row: Row, name: string, unit: number): number {
  return (
    Number(BigInt(String(row[`${name}_hi`] ?? 0)) * 4294967296n + BigInt(String(row[`${name}_lo`] ?? 0))) /
    unit
  );
}

export function decodeScore(row: Row): ScoreAggregate {
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

export function decodeTool(row: Row, completed: number): ToolAggregate {
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

export function decodeSegment(
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
    },
    cost: {
      pricedPairs: n("priced_pairs"),
      baselineUnpriced: n("baseline_unpriced"),
      candidateUnpriced: n("candidate_unpriced"),
      pairs: n("cost_pairs"),
      baselineSum: n("baseline_cost_nano") / 1e9,
      candidateSum: n("candidate_cost_nano") / 1e9,
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
export function pathsetsOf(row: Row): PathsetCount[] {
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
export function sampledPairs(row: Row, bound: bigint, cap: number): SampledPairRow[] {
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

export function isoOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  // ClickHouse returns DateTime as 'YYYY-MM-DD hh:mm:ss' in the server's zone; both stores run in UTC.
  const text = String(value);
  return /^\d+$/.test(text) ? new Date(Number(text) * 1000).toISOString() : `${text.replace(" ", "T")}Z`;
}
