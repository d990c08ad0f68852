import { createHash } from "node:crypto";

/**
 * Deterministic sampling by session: a session is all in or all out, so multi-turn conversations
 * stay whole, and the same input always gives the same sample. The hash of the session key (the
 * request id when there is none) is compared with the share.
 */
export function inSample(sessionOrId: string, share: number, salt = ""): boolean {
  if (share >= 1) return true;
  if (share <= 0) return false;
  const digest = createHash("sha256").update(`${salt}\u0000${sessionOrId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < share;
}

/** `5%`, `0.05` → 0.05. */
export function parseShare(text: string): number {
  const value = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!(value >= 0 && value <= 1)) throw new RangeError(`not a share between 0 and 100%: ${text}`);
  return value;
}

/** A token bucket: `rate` tokens a second, at most `burst` saved. Time is passed in (testable). */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Milliseconds to wait before a token is available (0: take it now). Takes the token when 0. */
  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}

/**
 * A circuit breaker per provider: after `threshold` consecutive failures it opens for `coolDownMs`
 * (requests are skipped, not sent), then lets one trial request through (half-open).
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;

  constructor(
    private readonly threshold: number,
    private readonly coolDownMs: number,
  ) {}

  allows(now: number): boolean {
    if (this.openedAt === undefined) return true;
    return now - this.openedAt >= this.coolDownMs;
  }

  succeeded(): void {
    this.failures = 0;
    this.openedAt = undefined;
  }

  failed(now: number): void {
    this.failures++;
    if (this.failures >= this.threshold) this.openedAt = now;
  }

  get open(): boolean {
    return this.openedAt !== undefined;
  }
}

/**
 * A spend budget over a sliding window (`20usd/h`): spending is recorded as it happens, and once
 * the window's total reaches the limit further requests are skipped and counted, never silently.
 */
export class SpendBudget {
  private readonly spent: { at: number; usd: number }[] = [];

  constructor(
    readonly limitUsd: number,
    readonly windowMs: number,
  ) {}

  record(now: number, usd: number): void {
    this.spent.push({ at: now, usd });
  }

  exhausted(now: number): boolean {
    while (this.spent.length > 0 && now - (this.spent[0]?.at ?? now) >= this.windowMs) this.spent.shift();
    return this.spent.reduce((sum, entry) => sum + entry.usd, 0) >= this.limitUsd;
  }
}

/** `20usd/h`, `5usd/min`, `100usd/day` → {limitUsd, windowMs}. */
export function parseBudget(text: string): { limitUsd: number; windowMs: number } {
  const match = /^(\d+(?:\.\d+)?)usd\/(s|min|h|day)$/i.exec(text.trim());
  if (match === null) throw new RangeError(`not a budget like 20usd/h: ${text}`);
  const unit = { s: 1_000, min: 60_000, h: 3_600_000, day: 86_400_000 }[
    (match[2] as string).toLowerCase() as "s" | "min" | "h" | "day"
  ];
  return { limitUsd: Number(match[1]), windowMs: unit };
}
