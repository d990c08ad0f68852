import { ShadowdiffError } from "../contracts/errors.js";
import type { ExchangeRecord } from "../contracts/exchange.js";
import { type PricingTable, requestCost } from "../contracts/pricing.js";
import type { ResolvedRelease } from "../contracts/release.js";
import type { DiffRules } from "../contracts/rules.js";
import { executeCandidate } from "../execute/executor.js";
import { CircuitBreaker, inSample, SpendBudget, TokenBucket } from "../execute/limits.js";
import { compileRules } from "../normalize/compile-rules.js";
import { releaseStamp } from "../release/content-id.js";
import { lintRelease } from "../release/lint.js";
import { readCapture } from "../sources/capture-file.js";
import type { PairWriter } from "../store/store.js";
import { type DeadLetterFile, deadLetterOf } from "./dead-letter.js";
import { PairBatcher } from "./pair-batcher.js";
import { PairBuilder } from "./pair-builder.js";

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
}

/**
 * `shadowdiff run --candidate release:M`: every sampled baseline record of the source is run
 * through each candidate release (see execute/executor.ts), the resulting candidate record is
 * stamped with the release id fixed at start, and the pair is diffed and stored.
 */
export async function runExecuted(options: RunExecutedOptions): Promise<RunExecutedResult> {
  const settings = options.settings;
  for (const release of options.releases) {
    const floating = lintRelease(release).find((finding) => finding.rule === "floating-model");
    if (floating && !settings.allowFloating) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `${release.source}: ${floating.message} (or pass --allow-floating)`,
      );
    }
  }
  const compiled = compileRules(options.rules);
  const builder = new PairBuilder(options.rules, options.manifests, options.pricing);
  const batcher = new PairBatcher(options.writer, 1_000);
  const now = () => Date.now();
  const providers = new Map<string, { bucket: TokenBucket; breaker: CircuitBreaker }>();
  const budget = settings.maxSpend && new SpendBudget(settings.maxSpend.limitUsd, settings.maxSpend.windowMs);
  const summaries = options.releases.map((release) => ({
    release: release.id,
    pairs: 0,
    candidateErrors: 0,
    unrecordedCalls: 0,
    skippedBudget: 0,
    skippedCircuit: 0,
  }));
  const replaySummary: ExecutedSummary = {
    release: "baseline-replay",
    pairs: 0,
    candidateErrors: 0,
    unrecordedCalls: 0,
    skippedBudget: 0,
    skippedCircuit: 0,
  };
  let considered = 0;
  let sampledOut = 0;
  let filteredOut = 0;
  const version = Date.now();
  const inFlight = new Set<Promise<void>>();

  const manifestsById = new Map(options.manifests.map((manifest) => [manifest.id, manifest]));
  let aaPairs = 0;
  let aaMissingManifest = 0;
  const shadow = async (baseline: ExchangeRecord, text: string) => {
    const replay = settings.baselineReplay ?? 0;
    const aaRelease =
      replay > 0 && inSample(baseline.session ?? baseline.id, replay, "baseline-replay")
        ? manifestsById.get(baseline.release.id)
        : undefined;
    if (
      replay > 0 &&
      aaRelease === undefined &&
      inSample(baseline.session ?? baseline.id, replay, "baseline-replay")
    ) {
      aaMissingManifest++;
    }
    const targets = aaRelease === undefined ? options.releases : [...options.releases, aaRelease];
    for (const [index, release] of targets.entries()) {
      const isReplay = index >= options.releases.length;
      const summary = (isReplay ? replaySummary : summaries[index]) as ExecutedSummary;
      const provider = release.model.provider;
      let limits = providers.get(provider);
      if (limits === undefined) {
        limits = {
          bucket: new TokenBucket(settings.ratePerSecond, Math.max(1, settings.concurrency), now()),
          breaker: new CircuitBreaker(5, 30_000),
        };
        providers.set(provider, limits);
      }
      if (budget?.exhausted(now())) {
        summary.skippedBudget++;
        continue;
      }
      if (!limits.breaker.allows(now())) {
        summary.skippedCircuit++;
        continue;
      }
      for (let wait = limits.bucket.take(now()); wait > 0; wait = limits.bucket.take(now())) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const endpoint = release.endpoint;
      const apiKeyEnv = typeof endpoint.api_key_env === "string" ? endpoint.api_key_env : undefined;
      const apiKey = apiKeyEnv === undefined ? undefined : settings.env[apiKeyEnv];
      const { response, unrecordedCalls } = await executeCandidate(release, baseline, {
        endpoint: {
          baseUrl: settings.baseUrl ?? String(endpoint.base_url ?? defaultBaseUrl(provider)),
          ...(apiKey === undefined ? {} : { apiKey }),
          ...(isHeaders(endpoint.headers) ? { headers: endpoint.headers } : {}),
          timeoutMs: Number(endpoint.timeout_ms ?? settings.timeoutMs),
        },
        rules: compiled,
        maxSteps: settings.maxSteps,
        retries: settings.retries,
      });
      if (response.error?.type === "provider") limits.breaker.failed(now());
      else limits.breaker.succeeded();
      const stamp = releaseStamp(release);
      const cost = requestCost(options.pricing, stamp.model, response.usage);
      if (budget && cost.priced) budget.record(now(), cost.usd);
      const candidate: ExchangeRecord = { ...baseline, replica: isReplay ? 1 : 0, release: stamp, response };
      if (isReplay) aaPairs++;
      summary.pairs++;
      if (response.error !== null) summary.candidateErrors++;
      summary.unrecordedCalls += unrecordedCalls;
      const row = builder.build(baseline, candidate, version, {
        baseline: text,
        candidate: JSON.stringify(candidate),
      });
      await batcher.add({ ...row, unrecorded_calls: unrecordedCalls });
    }
    options.onProgress?.(considered);
  };

  for await (const item of readCapture(options.source)) {
    if (item.kind === "invalid") {
      await options.deadLetters.write(deadLetterOf(item.error, item.text));
      continue;
    }
    const record = item.record;
    considered++;
    if (!matchesLabels(record.labels ?? {}, settings.include, settings.exclude)) {
      filteredOut++;
      continue;
    }
    if (!inSample(record.session ?? record.id, settings.sample)) {
      sampledOut++;
      continue;
    }
    const task = shadow(record, JSON.stringify(record)).finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= settings.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await batcher.flush();
  await options.writer.writeReleases(builder.newReleases(version));
  await options.deadLetters.close();
  return {
    considered,
    sampledOut,
    filteredOut,
    releases: summaries,
    written: batcher.written,
    baselineReplay: { pairs: aaPairs, missingManifest: aaMissingManifest },
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
