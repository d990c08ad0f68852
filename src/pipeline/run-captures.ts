import { deadLetterOf } from "../contracts/dead-letter.js";
import type { UnpairedRow } from "../contracts/pair-row.js";
import type { PricingTable } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import type { PairCategory } from "../diff/category.js";
import { emptyCategoryCounts } from "../diff/category.js";
import { PairBuilder, unpairedRow } from "../pairing/pair-builder.js";
import { PairDiffer } from "../pairing/pair-differ.js";
import { type PairingKey, pairCaptureFiles } from "../sources/capture-pairs.js";
import type { PairWriter } from "../store/store.js";
import type { DeadLetterFile } from "./dead-letter.js";
import { PairBatcher } from "./pair-batcher.js";

export interface RunCapturesOptions {
  /** The baseline capture. */
  readonly source: string;
  /** Recorded candidate captures. */
  readonly candidates: readonly string[];
  /** An A/A capture of the baseline release, stored as pairs of the baseline with itself. */
  readonly noise?: string;
  readonly rules: DiffRules;
  readonly releases: readonly ResolvedRelease[];
  readonly pricing: PricingTable;
  readonly writer: PairWriter;
  readonly deadLetters: DeadLetterFile;
  readonly batchSize?: number;
  /** Write version; defaults to now. A later run of the same pairs replaces the earlier one. */
  readonly version?: number;
  readonly onProgress?: (progress: { readonly input: string; readonly pairs: number }) => void;
  /**
   * Stops reading (SIGTERM): what was read is still written, with its release rows, so the
   * store is consistent and a re-run completes it (pairs replace by key).
   */
  readonly signal?: AbortSignal;
}

export interface CaptureRunSummary {
  readonly input: string;
  readonly role: "candidate" | "noise";
  readonly releases: readonly string[];
  readonly pairs: number;
  readonly categories: Record<PairCategory, number>;
  readonly unpaired: { baseline: number; candidate: number };
}

export interface RunCapturesResult {
  readonly inputs: readonly CaptureRunSummary[];
  readonly written: number;
  readonly invalid: number;
  readonly deadLetterPath: string | null;
  /** The run was stopped before the end of its inputs. */
  readonly stopped: boolean;
}

/**
 * `shadowdiff run` as a function: pairs the baseline capture with each recorded candidate (and
 * the A/A capture), diffs every pair and writes the rows to the store in batches.
 */
export async function runCaptures(options: RunCapturesOptions): Promise<RunCapturesResult> {
  const builder = new PairBuilder(
    new PairDiffer(options.rules, options.releases),
    options.releases,
    options.pricing,
  );
  const batcher = new PairBatcher(options.writer, options.batchSize ?? 5_000);
  const version = options.version ?? Date.now();
  const reportedInvalid = new Set<string>();
  const unpaired: UnpairedRow[] = [];

  const inputs: CaptureRunSummary[] = [];
  const jobs: { path: string; role: "candidate" | "noise"; pairing: PairingKey }[] = [
    ...(options.noise === undefined
      ? []
      : [{ path: options.noise, role: "noise" as const, pairing: "id" as const }]),
    ...options.candidates.map((path) => ({
      path,
      role: "candidate" as const,
      pairing: "id-and-replica" as const,
    })),
  ];
  let stopped = false;
  for (const job of jobs) {
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    const summary = {
      input: job.path,
      role: job.role,
      releases: new Set<string>(),
      pairs: 0,
      categories: emptyCategoryCounts(),
      unpaired: { baseline: 0, candidate: 0 },
    };
    for await (const event of pairCaptureFiles(options.source, job.path, job.pairing)) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      if (event.kind === "invalid") {
        // The baseline is read once per input; dead-letter each of its lines once.
        const where = `${event.error.context.source}:${event.error.context.line}`;
        if (reportedInvalid.has(where)) continue;
        reportedInvalid.add(where);
        await options.deadLetters.write(deadLetterOf(event.error, event.text));
      } else if (event.kind === "unpaired") {
        summary.unpaired[event.side]++;
        const candidateRelease =
          job.role === "noise" || event.side === "candidate"
            ? event.record.release.id
            : // Unpaired baseline records surface after the whole candidate capture was read.
              ([...summary.releases][0] ?? `unknown:${job.path}`);
        unpaired.push(unpairedRow(event.record, event.side, candidateRelease, version));
        if (unpaired.length >= UNPAIRED_BATCH) await options.writer.writeUnpaired(unpaired.splice(0));
      } else {
        const { baseline, candidate } = event;
        const row = builder.build(baseline, candidate, version);
        await batcher.add(row);
        summary.pairs++;
        summary.categories[row.category]++;
        summary.releases.add(candidate.release.id);
        if (summary.pairs % 10_000 === 0) options.onProgress?.({ input: job.path, pairs: summary.pairs });
      }
    }
    inputs.push({ ...summary, releases: [...summary.releases] });
  }
  await batcher.flush();
  if (unpaired.length > 0) await options.writer.writeUnpaired(unpaired.splice(0));
  await options.writer.writeReleases(builder.newReleases(version));
  await options.deadLetters.close();
  return {
    inputs,
    written: batcher.written,
    invalid: options.deadLetters.count,
    deadLetterPath: options.deadLetters.count > 0 ? options.deadLetters.path : null,
    stopped,
  };
}

const UNPAIRED_BATCH = 5_000;
