import { describe, expect, it } from "vitest";
import { byStart, durationMs, LongTime, startMs } from "../../../../src/sources/otel/span-time.js";
import { span, spanTimes } from "./spans.js";

const timed = (startNs: bigint, endNs: bigint) => ({
  ...span("a", "1", null, {}),
  ...spanTimes(startNs, endNs),
});

// Times whose bigint arithmetic the split must reproduce: sub-millisecond parts, a start
// on a second boundary, an end before the start, a span longer than 2^53 ns (104 days), and
// one long enough that seconds·1e9 + nanos in doubles would round twice (and differ).
const CASES: readonly (readonly [bigint, bigint])[] = [
  [1_700_000_000_123_456_789n, 1_700_000_000_223_456_788n],
  [1_700_000_000_000_000_000n, 1_700_000_001_999_999_999n],
  [1_700_000_005_000_000_001n, 1_700_000_004_999_999_999n],
  [1_700_000_000_000_000_001n, 1_700_000_000_000_000_001n + 2n ** 53n + 3n],
  [0n, 18_446_744_073_709_551_615n],
  [7_455_968_209_633_827n, 17_965_850_746_193_354_636n],
];

describe("span times", () => {
  it("give the start's milliseconds and the latency exactly as bigint nanoseconds do", () => {
    for (const [start, end] of CASES) {
      const times = timed(start, end);
      expect(startMs(times)).toBe(Number(start / 1_000_000n));
      expect(durationMs(times)).toBe(Number(end - start) / 1e6);
    }
  });

  it("order starts to the nanosecond", () => {
    const early = timed(1_700_000_000_999_999_999n, 1_700_000_002_000_000_000n);
    const late = timed(1_700_000_001_000_000_000n, 1_700_000_002_000_000_000n);
    const later = timed(1_700_000_001_000_000_001n, 1_700_000_002_000_000_000n);
    expect([later, late, early].sort(byStart)).toEqual([early, late, later]);
    expect(byStart(late, timed(1_700_000_001_000_000_000n, 0n))).toBe(0);
  });

  it("split a protobuf Long's two halves without rounding", () => {
    const time = new LongTime();
    const edges = [0n, 1n, 999_999n, 1_000_000n, 999_999_999n, 4_294_967_295n, 4_294_967_296n];
    const near = [1_700_000_000_123_456_789n, 1_700_000_000_999_999_999n, 2n ** 53n + 1n, 2n ** 64n - 1n];
    for (const ns of [...edges, ...near]) {
      time.split(Number(ns >> 32n), Number(ns & 0xffff_ffffn));
      expect([time.seconds, time.nanos]).toEqual([Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)]);
    }
  });
});
