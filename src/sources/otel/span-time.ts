import type { OtelSpan } from "./span.js";

/*
 * Span times are whole seconds since the Unix epoch and nanoseconds within that second (the split
 * of protobuf's Timestamp): two small integers that V8 keeps without allocating (seconds fit its
 * small-integer range until 2038, and are exact as numbers long after), where a bigint of
 * nanoseconds cost two allocations per time (bench/otel). The record needs the start to the
 * millisecond, the latency from the exact difference, and starts and ends ordered to the
 * nanosecond; these give exactly what the bigint arithmetic gave. OTLP times are unsigned, and
 * both decoders give non-negative times.
 */

const NANOS_PER_SECOND = 1_000_000_000;

/** Orders two times: negative when the first is earlier, 0 when they are equal. */
export function compareTimes(
  seconds: number,
  nanos: number,
  otherSeconds: number,
  otherNanos: number,
): number {
  return seconds !== otherSeconds ? seconds - otherSeconds : nanos - otherNanos;
}

export function byStart(a: OtelSpan, b: OtelSpan): number {
  const order = compareTimes(a.startSeconds, a.startNanos, b.startSeconds, b.startNanos);
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

/** The start in whole milliseconds since the epoch (rounded down). */
export function startMs(span: OtelSpan): number {
  const nanos = span.startNanos;
  return span.startSeconds * 1000 + (nanos - (nanos % 1_000_000)) / 1_000_000;
}

/** end − start in milliseconds, as `Number(endNs - startNs) / 1e6` of the bigint nanoseconds. */
export function durationMs(span: OtelSpan): number {
  const seconds = span.endSeconds - span.startSeconds;
  // Below 2^53 ns (104 days) every step is exact in doubles; past it, seconds·1e9 + nanos could
  // round twice where the bigint difference rounds once, so bigint it is (a span of months).
  if (Math.abs(seconds) < 9_000_000)
    return (seconds * NANOS_PER_SECOND + (span.endNanos - span.startNanos)) / 1e6;
  const end = BigInt(span.endSeconds) * 1_000_000_000n + BigInt(span.endNanos);
  const start = BigInt(span.startSeconds) * 1_000_000_000n + BigInt(span.startNanos);
  return Number(end - start) / 1e6;
}

/** Nanoseconds since the epoch (a non-negative bigint) as seconds and nanoseconds. */
export function secondsOf(ns: bigint): number {
  return Number(ns / 1_000_000_000n);
}

export function nanosOf(ns: bigint): number {
  return Number(ns % 1_000_000_000n);
}

/**
 * A 64-bit unsigned count of nanoseconds as protobufjs gives it (two 32-bit halves), split
 * without a bigint and without allocating: 2^32 ns = 4,294 ms + 967,296 ns, so high·2^32 + low
 * = high·4,294 ms + (high·967,296 + low) ns, every term below 2^53 and so exact in a double.
 * Divisions go through Math.floor with a correction, not `%`: on numbers past 2^31 `%` is a
 * call into fmod, which made this slower than the bigints.
 */
export class LongTime {
  seconds = 0;
  nanos = 0;

  split(high: number, low: number): void {
    const rest = high * 967_296 + low;
    let ms = Math.floor(rest / 1_000_000);
    let subMs = rest - ms * 1_000_000;
    // The quotient of a double division may be one off after rounding, never more.
    if (subMs < 0) {
      ms--;
      subMs += 1_000_000;
    } else if (subMs >= 1_000_000) {
      ms++;
      subMs -= 1_000_000;
    }
    ms += high * 4294;
    let seconds = Math.floor(ms / 1000);
    let msInSecond = ms - seconds * 1000;
    if (msInSecond < 0) {
      seconds--;
      msInSecond += 1000;
    } else if (msInSecond >= 1000) {
      seconds++;
      msInSecond -= 1000;
    }
    this.seconds = seconds;
    this.nanos = msInSecond * 1_000_000 + subMs;
  }
}
