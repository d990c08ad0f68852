import { setTimeout as delay } from "node:timers/promises";
import { deadLetterOf } from "../contracts/dead-letter.js";
import { ShadowdiffError } from "../contracts/errors.js";
import type { ExchangeRecord } from "../contracts/exchange.js";
import type { PairRow, ReleaseRow } from "../contracts/pair-row.js";
import { type PricingTable, requestCost } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import { executeCandidate } from "../execute/executor.js";
import { CircuitBreaker, inSample, SpendBudget, TokenBucket } from "../execute/limits.js";
import { PairBuilder } from "../pairing/pair-builder.js";
import { PairDiffer } from "../pairing/pair-differ.js";
import { releaseStamp } from "../release/content-id.js";
import { lintRelease } from "../release/lint.js";
import { readCapture } from "../sources/capture-file.js";
import type { PairWriter } from "../store/store.js";
import type { DeadLetterFile } from "./dead-letter.js";
import { PairBatcher } from "./pair-batcher.js";

export interface ExecutionSettings {
  /** Share of sessions shadowed (deterministic by session). */
  readonly sample: number;
  /** Only records whose labels match all of these; none whose labels match any of `exclude`. */
  readonly include?: Readonly<Record<string, string>>;
  readonly exclude?: Readonly<Record<string, string>>;
  readonly concurrency: number;
  /** Requests per second per provider (token bucket, burst = concurrency). */
  readonly ratePerSecond: number;
  readonly maxSpend?: { readonly limitUsd: number; readonly windowMs: number };
  readonly retries: number;
  readonly maxSteps: number;
  readonly timeoutMs: number;
  readonly allowFloating: boolean;
  /**
   * A/A: also re-run the baseline release (its manifest must be among `manifests`) on this share
   * of the sampled sessions, stored as replica 1, so the noise floor is measured on live traffic.
   */
  readonly baselineReplay?: number;
  /** Overrides every release's `endpoint.base_url` (the scripted fixture server, a proxy). */
  readonly baseUrl?: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface RunExecutedOptions {
  readonly source: string;
  readonly releases: readonly ResolvedRelease[];
  readonly settings: ExecutionSettings;
  readonly rules: DiffRules;
  readonly manifests: readonly ResolvedRelease[];
  readonly pricing: PricingTable;
  readonly writer: PairWriter;
  readonly deadLetters: DeadLetterFile;
  readonly onProgress?: (done: number) => void;
  /** Stops taking new requests (SIGTERM); those in flight finish and everything done is written. */
  readonly signal?: AbortSignal;
}

export interface ExecutedSummary {
  readonly release: string;
  pairs: number;
  candidateErrors: number;
  unrecordedCalls: number;
  skippedBudget: number;
  skippedCircuit: number;
}

export interface RunExecutedResult {
  readonly considered: number;
  readonly sampledOut: number;
  readonly filteredOut: number;
  readonly releases: readonly ExecutedSummary[];
  readonly written: number;
  /** A/A pairs written, and sampled records whose baseline release had no manifest to re-run. */
  readonly baselineReplay: { readonly pairs: number; readonly missingManifest: number };
  /** Stopped by the signal before the end of the source. */
  readonly stopped: boolean;
}

/**
 * The execute stage shared by `run` and `consume`: decides whether a baseline record is shadowed
 * (labels, session sample), runs it through each candidate release (and, on the A/A share, the
 * baseline release again) within the provider limits and the budget, and returns the pair rows.
 * Every candidate record is stamped with the release id fixed when the stage was built.
 */
export class ExecutionStage {
  readonly summaries: ExecutedSummary[];
  readonly replaySummary: ExecutedSummary = emptySummary("baseline-replay");
  aaMissingManifest = 0;
  private readonly providers = new Map<string, { bucket: TokenBucket; breaker: CircuitBreaker }>();
  private readonly budget: SpendBudget | undefined;
  private readonly manifestsById: Map<string, ResolvedRelease>;

  constructor(
    private readonly releases: readonly ResolvedRelease[],
    private readonly settings: ExecutionSettings,
    manifests: readonly ResolvedRelease[],
    private readonly pricing: PricingTable,
    private readonly builder: PairBuilder,
  ) {
    for (const release of releases) {
      const floating = lintRelease(release).find((finding) => finding.rule === "floating-model");
      if (floating && !settings.allowFloating) {
        throw new ShadowdiffError(
          "BAD_USAGE",
          `${release.source}: ${floating.message} (or pass --allow-floating)`,
        );
      }
    }
    this.summaries = releases.map((release) => emptySummary(release.id));
    this.budget =
      settings.maxSpend && new SpendBudget(settings.maxSpend.limitUsd, settings.maxSpend.windowMs);
    this.manifestsById = new Map(manifests.map((manifest) => [manifest.id, manifest]));
  }

  /** Releases the stage's pairs named since the last call, as store rows. */
  newReleases(version: number): ReleaseRow[] {
    return this.builder.newReleases(version);
  }

  /** Whether a record is shadowed at all: label filters first, then the session sample. */
  selects(record: ExchangeRecord): "yes" | "filtered-out" | "sampled-out" {
    if (!matchesLabels(record.labels ?? {}, this.settings.include, this.settings.exclude))
      return "filtered-out";
    return inSample(record.session ?? record.id, this.settings.sample) ? "yes" : "sampled-out";
  }

  /** Runs one selected baseline record through every target release; returns the pair rows. */
  async shadow(baseline: ExchangeRecord, text: string, version: number): Promise<PairRow[]> {
    const replay = this.settings.baselineReplay ?? 0;
    const replayed = replay > 0 && inSample(baseline.session ?? baseline.id, replay, "baseline-replay");
    const aaRelease = replayed ? this.manifestsById.get(baseline.release.id) : undefined;
    if (replayed && aaRelease === undefined) this.aaMissingManifest++;
    const targets = aaRelease === undefined ? this.releases : [...this.releases, aaRelease];
    const rows: PairRow[] = [];
    for (const [index, release] of targets.entries()) {
      const isReplay = index >= this.releases.length;
      const summary = (isReplay ? this.replaySummary : this.summaries[index]) as ExecutedSummary;
      const limits = this.limitsOf(release.model.provider);
      if (this.budget?.exhausted(Date.now())) {
        summary.skippedBudget++;
        continue;
      }
      if (!limits.breaker.allows(Date.now())) {
        summary.skippedCircuit++;
        continue;
      }
      for (let wait = limits.bucket.take(Date.now()); wait > 0; wait = limits.bucket.take(Date.now())) {
        await delay(wait);
      }
      const { response, unrecordedCalls } = await executeCandidate(release, baseline, {
        endpoint: this.endpointOf(release),
        rules: this.builder.differ.rules,
        maxSteps: this.settings.maxSteps,
        retries: this.settings.retries,
      });
      if (response.error?.type === "provider") limits.breaker.failed(Date.now());
      else limits.breaker.succeeded();
      const stamp = releaseStamp(release);
      const cost = requestCost(this.pricing, stamp.model, response.usage);
      if (this.budget && cost.priced) this.budget.record(Date.now(), cost.usd);
      const candidate: ExchangeRecord = { ...baseline, replica: isReplay ? 1 : 0, release: stamp, response };
      summary.pairs++;
      if (response.error !== null) summary.candidateErrors++;
      summary.unrecordedCalls += unrecordedCalls;
      const row = this.builder.build(baseline, candidate, version, {
        baseline: text,
        candidate: JSON.stringify(candidate),
      });
      rows.push({ ...row, unrecorded_calls: unrecordedCalls });
    }
    return rows;
  }

  private limitsOf(provider: string): { bucket: TokenBucket; breaker: CircuitBreaker } {
    let limits = this.providers.get(provider);
    if (limits === undefined) {
      limits = {
        bucket: new TokenBucket(
          this.settings.ratePerSecond,
          Math.max(1, this.settings.concurrency),
          Date.now(),
        ),
        breaker: new CircuitBreaker(5, 30_000),
      };
      this.providers.set(provider, limits);
    }
    return limits;
  }

  private endpointOf(release: ResolvedRelease) {
    const endpoint = release.endpoint;
    const apiKeyEnv = typeof endpoint.api_key_env === "string" ? endpoint.api_key_env : undefined;
    const apiKey = apiKeyEnv === undefined ? undefined : this.settings.env[apiKeyEnv];
    return {
      baseUrl: this.settings.baseUrl ?? String(endpoint.base_url ?? defaultBaseUrl(release.model.provider)),
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(isHeaders(endpoint.headers) ? { headers: endpoint.headers } : {}),
      timeoutMs: Number(endpoint.timeout_ms ?? this.settings.timeoutMs),
    };
  }
}

function emptySummary(release: string): ExecutedSummary {
  return { release, pairs: 0, candidateErrors: 0, unrecordedCalls: 0, skippedBudget: 0, skippedCircuit: 0 };
}

/**
 * `shadowdiff run --candidate release:M`: every selected baseline record of the source file goes
 * through the execute stage, with at most `concurrency` records in flight; rows are batched.
 */
export async function runExecuted(options: RunExecutedOptions): Promise<RunExecutedResult> {
  const builder = new PairBuilder(
    new PairDiffer(options.rules, options.manifests),
    options.manifests,
    options.pricing,
  );
  const stage = new ExecutionStage(
    options.releases,
    options.settings,
    options.manifests,
    options.pricing,
    builder,
  );
  const batcher = new PairBatcher(options.writer, 1_000);
  const version = Date.now();
  const inFlight = new Set<Promise<void>>();
  let considered = 0;
  let sampledOut = 0;
  let filteredOut = 0;
  let stopped = false;
  for await (const item of readCapture(options.source)) {
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    if (item.kind === "invalid") {
      await options.deadLetters.write(deadLetterOf(item.error, item.text));
      continue;
    }
    considered++;
    const selected = stage.selects(item.record);
    if (selected === "filtered-out") filteredOut++;
    if (selected === "sampled-out") sampledOut++;
    if (selected !== "yes") continue;
    const task = stage
      .shadow(item.record, item.text, version)
      .then(async (rows) => {
        for (const row of rows) await batcher.add(row);
        options.onProgress?.(considered);
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= options.settings.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await batcher.flush();
  await options.writer.writeReleases(builder.newReleases(version));
  await options.deadLetters.close();
  return {
    considered,
    sampledOut,
    filteredOut,
    releases: stage.summaries,
    written: batcher.written,
    baselineReplay: { pairs: stage.replaySummary.pairs, missingManifest: stage.aaMissingManifest },
    stopped,
  };
}

function matchesLabels(
  labels: Readonly<Record<string, string>>,
  include?: Readonly<Record<string, string>>,
  exclude?: Readonly<Record<string, string>>,
): boolean {
  if (include && Object.entries(include).some(([key, value]) => labels[key] !== value)) return false;
  if (exclude && Object.entries(exclude).some(([key, value]) => labels[key] === value)) return false;
  return true;
}

function defaultBaseUrl(provider: string): string {
  return provider === "anthropic" ? "https://api.anthropic.com" : "https://api.openai.com";
}

function isHeaders(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === "object" &&
    Object.values(value).every((item) => typeof item === "string")
  );
}
