import type { ExchangeRecord, ReleaseStamp } from "../contracts/exchange.js";
import type { ReleaseRow, UnpairedRow } from "../contracts/pair-row.js";
import type { PricingTable } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import type { PairCategory } from "../diff/category.js";
import { emptyCategoryCounts } from "../diff/category.js";
import { diffPair } from "../diff/pair-diff.js";
import { compileRules } from "../normalize/compile-rules.js";
import { ToolSchemaRegistry } from "../normalize/tool-validity.js";
import { normalizeTrace } from "../normalize/trace.js";
import { type PairingKey, pairCaptureFiles } from "../sources/capture-pairs.js";
import type { PairWriter } from "../store/store.js";
import { type DeadLetterFile, deadLetterOf } from "./dead-letter.js";
import { PairBatcher } from "./pair-batcher.js";
import { buildPairRow } from "./pair-row.js";

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
}

/**
 * `shadowdiff run` as a function: pairs the baseline capture with each recorded candidate (and
 * the A/A capture), diffs every pair and writes the rows to the store in batches.
 */
export async function runCaptures(options: RunCapturesOptions): Promise<RunCapturesResult> {
  const rules = compileRules(options.rules);
  const registry = new ToolSchemaRegistry();
  for (const release of options.releases) registry.register(release);
  const batcher = new PairBatcher(options.writer, options.batchSize ?? 5_000);
  const version = options.version ?? Date.now();
  const stamps = new Map<string, ReleaseStamp>();
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
  for (const job of jobs) {
    const summary = {
      input: job.path,
      role: job.role,
      releases: new Set<string>(),
      pairs: 0,
      categories: emptyCategoryCounts(),
      unpaired: { baseline: 0, candidate: 0 },
    };
    for await (const event of pairCaptureFiles(options.source, job.path, job.pairing)) {
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
        remember(stamps, baseline, candidate);
        const baselineTrace = normalizeTrace(baseline, rules, registry.validatorFor(baseline.release.id));
        const candidateTrace = normalizeTrace(candidate, rules, registry.validatorFor(candidate.release.id));
        const diff = diffPair(baselineTrace, candidateTrace, rules);
        await batcher.add(
          buildPairRow(
            { baseline, candidate, baselineTrace, candidateTrace, diff },
            options.pricing,
            version,
          ),
        );
        summary.pairs++;
        summary.categories[diff.category]++;
        summary.releases.add(candidate.release.id);
        if (summary.pairs % 10_000 === 0) options.onProgress?.({ input: job.path, pairs: summary.pairs });
      }
    }
    inputs.push({ ...summary, releases: [...summary.releases] });
  }
  await batcher.flush();
  if (unpaired.length > 0) await options.writer.writeUnpaired(unpaired.splice(0));
  await options.writer.writeReleases(releaseRows(stamps, options.releases, version));
  await options.deadLetters.close();
  return {
    inputs,
    written: batcher.written,
    invalid: options.deadLetters.count,
    deadLetterPath: options.deadLetters.count > 0 ? options.deadLetters.path : null,
  };
}

const UNPAIRED_BATCH = 5_000;

function unpairedRow(
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

function remember(stamps: Map<string, ReleaseStamp>, ...records: ExchangeRecord[]): void {
  for (const record of records)
    if (!stamps.has(record.release.id)) stamps.set(record.release.id, record.release);
}

/** Every release seen, with its manifest when one was given: reports show names, not hashes. */
function releaseRows(
  stamps: Map<string, ReleaseStamp>,
  manifests: readonly ResolvedRelease[],
  version: number,
): ReleaseRow[] {
  const byId = new Map(manifests.map((release) => [release.id, release]));
  return [...stamps.values()].map((stamp) => {
    const manifest = byId.get(stamp.id);
    return {
      release_id: stamp.id,
      name: manifest?.name ?? stamp.name ?? "",
      release_version: manifest?.version ?? stamp.version ?? "",
      model: stamp.model,
      manifest: manifest ? JSON.stringify(manifest) : "",
      registered_at: Math.floor(version / 1000),
      version,
    };
  });
}
