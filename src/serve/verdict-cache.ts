/**
 * Verdicts shared between requests for a short time. A rollout controller polls, a webhook
 * retries, many canaries ask at once: each verdict reads the store's aggregates (a few hundred
 * milliseconds), so 2,000 requests with 200 in flight took a p50 of 37.5 s when each computed its
 * own, past Flagger's 30 s timeout. Requests for one key while it is being computed wait for
 * that one computation; a result is reused for `ttlMs`; a failure is not kept.
 */
export class VerdictCache<Value> {
  private readonly entries = new Map<string, { readonly value: Promise<Value>; readonly at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, compute: () => Promise<Value>): Promise<Value> {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.now() - entry.at < this.ttlMs) return entry.value;
    const value = compute();
    this.entries.set(key, { value, at: this.now() });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    this.evictExpired();
    return value;
  }

  private evictExpired(): void {
    if (this.entries.size < 256) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }
}
