import { PAIR_CATEGORIES, type PairCategory } from "../contracts/categories.js";
import type { Store } from "../store/store.js";
import type { SegmentAggregate } from "./report-aggregate.js";
import { type NoiseJudgement, netCategoryByKey } from "./report-noise.js";
import { exampleDetailsSql, examplesSql, type PairScope } from "./report-queries.js";
import type { ExampleAnswer, ExampleRow } from "./report-types.js";

/** A few example pairs per category net of noise, for the report. */
/**
 * A few example pairs per category net of noise: the ones with the smallest key hash, so the same
 * ones come back every time. The overall sample is a hash-order prefix of all pairs, so a
 * category with enough pairs in it has its examples there; only rarer categories need a query.
 */
export async function loadExamples(
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
  if (missing.size > 0) {
    const rows = await store.query<{ category: PairCategory; request_id: string; replica: number | string }>(
      examplesSql(scope, perCategory, missing),
    );
    fromSample.push(
      ...rows.map((row) => ({ category: row.category, id: row.request_id, replica: Number(row.replica) })),
    );
  }
  if (fromSample.length === 0) return examples;
  const details = await store.query<ExampleDetails>(exampleDetailsSql(scope, fromSample));
  const detailsOf = new Map(details.map((row) => [`${row.request_id}#${Number(row.replica)}`, row]));
  for (const category of PAIR_CATEGORIES) {
    const list = fromSample
      .filter((example) => example.category === category)
      .map((example) =>
        exampleRow(example.id, example.replica, detailsOf.get(`${example.id}#${example.replica}`)),
      );
    if (list.length > 0) examples[category] = list;
  }
  return examples;
}

export interface ExampleDetails {
  readonly request_id: string;
  readonly replica: number | string;
  readonly reason: string;
  readonly alignment: string;
  readonly baseline_steps: string;
  readonly candidate_steps: string;
  readonly baseline_refusal: number | string;
  readonly candidate_refusal: number | string;
  /** Both exchange records as JSON (empty for an identical pair). */
  readonly raw: string;
}

/**
 * An answer is shown, not searched: the first 2,000 characters say what the side did, and a
 * report with a dozen examples stays small when an agent answers with a megabyte.
 */
export const EXAMPLE_OUTPUT_CHARS = 2000;

export function exampleRow(id: string, replica: number, details: ExampleDetails | undefined): ExampleRow {
  const steps = (text: string | undefined) =>
    text ? (JSON.parse(text) as ExampleRow["baseline_steps"]) : [];
  const records = details?.raw
    ? (JSON.parse(details.raw) as { baseline?: unknown; candidate?: unknown })
    : {};
  return {
    request_id: id,
    replica,
    reason: details?.reason ?? "",
    alignment: details?.alignment ?? "",
    baseline_steps: steps(details?.baseline_steps),
    candidate_steps: steps(details?.candidate_steps),
    baseline_answer: answerOf(records.baseline, Number(details?.baseline_refusal ?? 0) === 1),
    candidate_answer: answerOf(records.candidate, Number(details?.candidate_refusal ?? 0) === 1),
  };
}

/** A side's answer from its stored record; the refusal flag is the pair's (detectors included). */
function answerOf(record: unknown, refusal: boolean): ExampleAnswer {
  const response = (record as { response?: { output?: unknown; error?: unknown } } | undefined)?.response;
  const output = typeof response?.output === "string" ? response.output : null;
  const error = response?.error as { type?: unknown; message?: unknown } | null | undefined;
  return {
    output:
      output === null || output.length <= EXAMPLE_OUTPUT_CHARS
        ? output
        : `${output.slice(0, EXAMPLE_OUTPUT_CHARS)}…`,
    refusal,
    error:
      error === null || error === undefined || typeof error !== "object"
        ? null
        : { type: String(error.type ?? "error"), message: String(error.message ?? "") },
  };
}
