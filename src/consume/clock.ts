import { setTimeout as delay } from "node:timers/promises";

/**
 * Time as the consumer sees it, injected so a unit test drives it (advances it, fires timers)
 * instead of sleeping. `now` is wall-clock milliseconds (row versions, arrival times, idleness);
 * `monotonic` measures durations (batch latency) and never jumps with the wall clock.
 */
export interface Clock {
  now(): number;
  monotonic(): number;
  /**
   * Resolves after `ms`, or at once when `signal` aborts (never rejects). `ref: false` does not
   * keep the process alive on its own account (a time limit on something else).
   */
  sleep(ms: number, options?: { readonly signal?: AbortSignal; readonly ref?: boolean }): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called. */
  repeat(ms: number, tick: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: (ms, options = {}) =>
    delay(ms, undefined, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.ref === undefined ? {} : { ref: options.ref }),
    }).catch(() => {}),
  repeat: (ms, tick) => {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
};
