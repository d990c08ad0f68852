import { appendFile, mkdir, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { harvestRows } from "../analyze/harvest-queries.js";
import { noiseFloorOf } from "../analyze/report.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { DRIFT_CATEGORIES, PAIR_CATEGORIES } from "../diff/category.js";
import { netCategory } from "../diff/net-category.js";
import { type ExportFormat, exportCase } from "../harvest/exporters.js";
import { selectCases } from "../harvest/select.js";
import type { Store } from "../store/store.js";

export interface HarvestOptions {
  readonly candidate: string;
  readonly limit: number;
  readonly categories?: readonly string[];
  readonly stratifyBy?: string;
  readonly redactPaths?: readonly string[];
  readonly out: string;
  readonly format: ExportFormat;
  /** The Langfuse dataset the items name; by default the bench folder's name. */
  readonly dataset?: string;
}

export interface HarvestResult {
  readonly file: string;
  readonly selected: number;
  readonly added: number;
  readonly alreadyThere: number;
  readonly noiseOnlySkipped: number;
}

/** What can be harvested: every category but `identical`, whose pairs keep no records. */
const DIVERGENT: readonly string[] = PAIR_CATEGORIES.filter((category) => category !== "identical");

/**
 * Checks a list of categories to harvest; `label` names where it came from in the error (a flag,
 * an option). Identical pairs have nothing to learn from and store no raw records.
 */
export function divergentCategories(categories: readonly string[], label = "categories"): string[] {
  for (const category of categories) {
    if (!DIVERGENT.includes(category)) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `${label}: '${category}' is not a divergent category (one of ${DIVERGENT.join(", ")})`,
      );
    }
  }
  return [...categories];
}

const FILES: Record<ExportFormat, string> = {
  native: "cases.jsonl",
  promptfoo: "promptfoo-tests.jsonl",
  langfuse: "langfuse-dataset-items.jsonl",
  braintrust: "braintrust-records.jsonl",
  inspect: "inspect-samples.jsonl",
};

/**
 * `shadowdiff harvest`: divergent pairs of a candidate by category net of the A/A noise floor
 * (drift categories by default, so pairs whose behavioural differences are all noise are left
 * out), selected and redacted by harvest/select.ts, merged into the bench file by case id (candidate
 * release × category × input): running it twice adds nothing, and another candidate failing on
 * the same inputs adds its own cases.
 */
export async function harvest(store: Store, options: HarvestOptions): Promise<HarvestResult> {
  const report = await noiseFloorOf(store, { candidate: options.candidate });
  const noise = new Set(report.noisePaths);
  const categories = divergentCategories(options.categories ?? [...DRIFT_CATEGORIES]);
  // Categories are net of noise (diff/net-category.ts), as in the report: a pair is read by any
  // divergent raw category and kept when its net category is one asked for.
  const rows = await harvestRows(
    store,
    { candidate: report.candidate.id, baseline: report.baseline.id },
    noise.size === 0 ? categories : DIVERGENT,
    Math.max(1_000, options.limit * 50),
  );
  const netted = rows.map((row) => ({ ...row, category: netCategory(row.category, row.paths, noise) }));
  const divergent = netted.filter((row) => categories.includes(row.category));
  const noiseOnly = rows.filter(
    (row, index) =>
      categories.includes(row.category) && !categories.includes(netted[index]?.category ?? row.category),
  ).length;
  const cases = selectCases(
    divergent.map((row) => ({ ...row, replica: Number(row.replica) })),
    {
      limit: options.limit,
      ...(options.stratifyBy === undefined ? {} : { stratifyBy: options.stratifyBy }),
      ...(options.redactPaths === undefined ? {} : { redactPaths: options.redactPaths }),
      noisePaths: noise,
    },
  );
  const exportOptions = { dataset: options.dataset ?? defaultDataset(options.out) };
  await mkdir(options.out, { recursive: true });
  const file = join(options.out, FILES[options.format]);
  const existing = await existingIds(file);
  const fresh = cases.filter((benchCase) => !existing.has(benchCase.id));
  if (fresh.length > 0) {
    await appendFile(
      file,
      fresh
        .map((benchCase) => `${JSON.stringify(exportCase(benchCase, options.format, exportOptions))}\n`)
        .join(""),
    );
  }
  return {
    file,
    selected: cases.length,
    added: fresh.length,
    alreadyThere: cases.length - fresh.length,
    noiseOnlySkipped: noiseOnly,
  };
}

/** The bench folder's own name (`bench/support` → `support`), as a Langfuse dataset name. */
function defaultDataset(out: string): string {
  return basename(resolve(out));
}

/** Case ids already in a bench file, whatever its format (`id` or `metadata.case_id`). */
async function existingIds(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return new Set();
  }
  const ids = new Set<string>();
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line.trim() === "") continue;
    let entry: { id?: string; metadata?: { case_id?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      // Merging into a bench we cannot read could duplicate every case: stop, and say where.
      throw new ShadowdiffError(
        "INVALID_JSON",
        `${file}:${index + 1}: not a JSON line; fix or remove it before harvesting into this bench`,
        { context: { source: file, line: index + 1 } },
      );
    }
    const id = entry.metadata?.case_id ?? entry.id;
    if (typeof id === "string") ids.add(id);
  }
  return ids;
}
