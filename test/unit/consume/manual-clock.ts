import type { Clock } from "../../../src/consume/clock.js";

interface Timer {
  at: number;
  readonly every?: number;
  readonly fire: () => void;
  cancelled: boolean;
}

/**
 * A clock the test moves: `advance(ms)` fires, in time order, every timer and sleep due by then,
 * letting the promises they release run between firings. Nothing sleeps for real.
 */
export class ManualClock implements Clock {
  private time: number;
  private readonly timers: Timer[] = [];

  constructor(start = 1_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  monotonic(): number {
    return this.time;
  }

  sleep(ms: number, options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    return new Promise((resolve) => {
      if (options.signal?.aborted) return resolve();
      const timer: Timer = { at: this.time + ms, fire: resolve, cancelled: false };
      this.timers.push(timer);
      options.signal?.addEventListener(
        "abort",
        () => {
          timer.cancelled = true;
          resolve();
        },
        { once: true },
      );
    });
  }

  repeat(ms: number, tick: () => void): () => void {
    const timer: Timer = { at: this.time + ms, every: ms, fire: tick, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Sleeps waiting now (not cancelled). */
  get pendingSleeps(): number {
    return this.timers.filter((timer) => !timer.cancelled && timer.every === undefined).length;
  }

  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers
        .filter((timer) => !timer.cancelled && timer.at <= until)
        .sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.time = Math.max(this.time, due.at);
      if (due.every === undefined) {
        due.cancelled = true;
        this.timers.splice(this.timers.indexOf(due), 1);
      } else due.at += due.every;
      due.fire();
    }
    this.time = until;
    await settle();
  }
}

/** Lets every promise already resolved run its continuations (several rounds deep). */
export async function settle(): Promise<void> {
  for (let round = 0; round < 20; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}
