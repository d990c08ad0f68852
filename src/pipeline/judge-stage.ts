import { setTimeout as delay } from "node:timers/promises";
import type { PairCategory } from "../contracts/categories.js";
import { ShadowdiffError } from "../contracts/errors.js";
import type { ResolvedJudge } from "../contracts/judge.js";
import type { JudgementRow } from "../contracts/judgement-row.js";
import { type PricingTable, requestCost } from "../contracts/pricing.js";
import { CircuitBreaker, inSample, SpendBudget, TokenBucket } from "../execute/limits.js";
import type { ProviderEndpoint } from "../execute/provider-http.js";
import { scrubSecrets } from "../execute/scrub-secrets.js";
import { type AskJudge, askBothWays } from "../judge/ask-both-ways.js";
import { judgeModel } from "../judge/judge-model.js";
import { type JudgedTexts, judgedTexts, judgementCacheKey } from "../judge/judge-prompt.js";
import type { CachedVerdict, UnjudgedPair } from "../store/judgements.js";
import { emptyJudgeSummary, type JudgeSummary } from "./judge-summary.js";

export interface JudgeSettings {
  /** Share of pairs judged (deterministic by request id). */
  readonly sample: number;
  /** Judgements written in this run at most (cached ones included). */
  readonly limit?: number;
  readonly concurrency: number;
  /** Judge model calls per second (token bucket, burst = concurrency). */
  readonly ratePerSecond: number;
  readonly maxSpend?: { readonly limitUsd: number; readonly windowMs: number };
  readonly retries: number;
  readonly timeoutMs: number;
  /** Overrides the judge's `endpoint.base_url` (the scripted fixture server, a proxy). */
  readonly baseUrl?: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Where judgements are looked up and written: the store's judgements table, passed in. */
export interface JudgementStore {
  cached(judgeRelease: string, keys: readonly string[]): Promise<ReadonlyMap<string, CachedVerdict>>;
  write(rows: readonly JudgementRow[]): Promise<void>;
}

/**
 * The judge stage shared by `judge` and `run --judge`: for each offered pair, the cached verdict
 * when one exists for the same texts, otherwise the judge asked both ways within the rate limit,
 * circuit breaker and spend budget; judgements are written per batch. Skipped pairs are counted
 * and left unjudged, never given a verdict.
 */
export class JudgeStage {
  readonly summary: JudgeSummary = emptyJudgeSummary();
  private readonly budget: SpendBudget | undefined;
  private readonly bucket: TokenBucket;
  private readonly breaker = new CircuitBreaker(5, 30_000);
  private readonly endpoint: ProviderEndpoint;
  private readonly ask: AskJudge;
  private readonly model: string;

  constructor(
    private readonly judge: ResolvedJudge,
    private readonly settings: JudgeSettings,
    private readonly pricing: PricingTable,
    private readonly store: JudgementStore,
  ) {
    const release = judge.release;
    this.model = `${release.model.provider}/${release.model.snapshot}`;
    if (
      settings.maxSpend &&
      !requestCost(pricing, this.model, { input_tokens: 0, output_tokens: 0 }).priced
    ) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `${release.source}: --max-spend cannot be kept: the judge model ${this.model} is not in the pricing table (add it, or give --pricing)`,
      );
    }
    this.budget =
      settings.maxSpend && new SpendBudget(settings.maxSpend.limitUsd, settings.maxSpend.windowMs);
    this.bucket = new TokenBucket(settings.ratePerSecond, Math.max(1, settings.concurrency), Date.now());
    this.endpoint = endpointOf(release.endpoint, release.model.provider, settings);
    const call = judgeModel(release, this.endpoint, { retries: settings.retries });
    this.ask = async (messages) => {
      for (let wait = this.bucket.take(Date.now()); wait > 0; wait = this.bucket.take(Date.now()))
        await delay(wait);
      return call(messages);
    };
  }

  /** The pair categories this judge judges (others offered are passed over). */
  get categories(): readonly PairCategory[] {
    return this.judge.categories;
  }

  /** Judges a batch of pairs (each in the judge's categories); writes their judgements. */
  async judgePairs(pairs: readonly UnjudgedPair[], version: number): Promise<void> {
    const offered = pairs.filter((pair) => this.judge.categories.includes(pair.category));
    this.summary.considered += offered.length;
    const selected = offered.filter((pair) => inSample(pair.request_id, this.settings.sample, "judge"));
    this.summary.sampledOut += offered.length - selected.length;
    const withTexts = selected.map((pair) => {
      const records = JSON.parse(pair.raw || "{}") as { baseline?: unknown; candidate?: unknown };
      const texts = judgedTexts(records.baseline ?? {}, records.candidate ?? {});
      return { pair, texts, key: judgementCacheKey(this.judge.release.id, texts) };
    });
    const cache = new Map(
      await this.store.cached(
        this.judge.release.id,
        withTexts.map((item) => item.key),
      ),
    );
    const rows: JudgementRow[] = [];
    const inFlight = new Set<Promise<void>>();
    for (const item of withTexts) {
      if (this.settings.limit !== undefined && this.summary.judged >= this.settings.limit) {
        this.summary.skippedLimit++;
        continue;
      }
      const hit = cache.get(item.key);
      if (hit !== undefined) {
        rows.push(
          this.row(
            item.pair,
            item.key,
            hit,
            { cached: 1, calls: 0, input: 0, output: 0, cost: undefined },
            version,
          ),
        );
        this.count(hit, true);
        continue;
      }
      if (this.budget?.exhausted(Date.now())) {
        this.summary.skippedBudget++;
        continue;
      }
      if (!this.breaker.allows(Date.now())) {
        this.summary.skippedCircuit++;
        continue;
      }
      // Counted before the calls return, so the limit holds with several pairs in flight.
      this.summary.judged++;
      const task = this.judgeOne(item.pair, item.texts, item.key, version)
        .then((row) => {
          if (row === undefined) return;
          rows.push(row);
          cache.set(item.key, row);
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= this.settings.concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await this.store.write(rows);
  }

  private async judgeOne(
    pair: UnjudgedPair,
    texts: JudgedTexts,
    key: string,
    version: number,
  ): Promise<JudgementRow | undefined> {
    try {
      const judgement = await askBothWays(this.judge.release.prompt, texts, this.ask);
      this.breaker.succeeded();
      const cost = requestCost(this.pricing, this.model, judgement.usage);
      if (cost.priced) {
        this.budget?.record(Date.now(), cost.usd);
        this.summary.spentUsd += cost.usd;
      }
      this.summary.modelCalls += judgement.calls;
      const verdict = {
        verdict: judgement.verdict,
        inconsistent: judgement.inconsistent ? 1 : 0,
        baseline_first: judgement.baselineFirst,
        candidate_first: judgement.candidateFirst,
        // A judge may quote what it was sent; the key it was sent with never reaches the store.
        reason: scrubSecrets(judgement.reason, [this.endpoint.apiKey]),
      };
      this.count(verdict, false);
      const usage = judgement.usage;
      return this.row(
        pair,
        key,
        verdict,
        {
          cached: 0,
          calls: judgement.calls,
          input: usage.input_tokens,
          output: usage.output_tokens,
          cost: cost.priced ? cost.usd : undefined,
        },
        version,
      );
    } catch (error) {
      if (!(error instanceof ShadowdiffError)) throw error;
      this.breaker.failed(Date.now());
      this.summary.judged--;
      this.summary.failed++;
      this.summary.lastFailure = scrubSecrets(error.message, [this.endpoint.apiKey]);
      return undefined;
    }
  }

  private count(verdict: CachedVerdict, cached: boolean): void {
    if (cached) {
      this.summary.cached++;
      this.summary.judged++;
    }
    if (verdict.verdict === "better") this.summary.better++;
    else if (verdict.verdict === "worse") this.summary.worse++;
    else if (verdict.verdict === "same") this.summary.same++;
    else this.summary.unparseable++;
    if (verdict.inconsistent === 1) this.summary.inconsistent++;
  }

  private row(
    pair: UnjudgedPair,
    key: string,
    verdict: CachedVerdict,
    spend: { cached: number; calls: number; input: number; output: number; cost: number | undefined },
    version: number,
  ): JudgementRow {
    const release = this.judge.release;
    return {
      candidate_release: pair.candidate_release,
      baseline_release: pair.baseline_release,
      request_id: pair.request_id,
      replica: pair.replica,
      judge_release: release.id,
      judge_name: release.name,
      judge_version: release.version,
      judge_model: this.model,
      ts: pair.ts,
      label_keys: pair.label_keys,
      label_values: pair.label_values,
      category: pair.category,
      verdict: verdict.verdict,
      inconsistent: verdict.inconsistent,
      baseline_first: verdict.baseline_first,
      candidate_first: verdict.candidate_first,
      reason: verdict.reason,
      cache_key: key,
      cached: spend.cached,
      model_calls: spend.calls,
      input_tokens: spend.input,
      output_tokens: spend.output,
      cost: spend.cost ?? 0,
      priced: spend.cost === undefined ? 0 : 1,
      version,
    };
  }
}

function endpointOf(
  endpoint: Readonly<Record<string, unknown>>,
  provider: string,
  settings: JudgeSettings,
): ProviderEndpoint {
  const apiKeyEnv = typeof endpoint.api_key_env === "string" ? endpoint.api_key_env : undefined;
  const apiKey = apiKeyEnv === undefined ? undefined : settings.env[apiKeyEnv];
  const headers = endpoint.headers;
  const stringHeaders =
    headers !== null &&
    typeof headers === "object" &&
    Object.values(headers).every((value) => typeof value === "string")
      ? (headers as Record<string, string>)
      : undefined;
  const defaultUrl = provider === "anthropic" ? "https://api.anthropic.com" : "https://api.openai.com";
  return {
    baseUrl: settings.baseUrl ?? String(endpoint.base_url ?? defaultUrl),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(stringHeaders === undefined ? {} : { headers: stringHeaders }),
    timeoutMs: Number(endpoint.timeout_ms ?? settings.timeoutMs),
  };
}
