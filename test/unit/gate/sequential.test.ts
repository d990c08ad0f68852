import { describe, expect, it } from "vitest";
import { confidenceSequence } from "../../../src/gate/sequential.js";
import { mulberry32 } from "../../../src/stats/index.js";

/**
 * Simulation: A/A streams (baseline and candidate behave the same: a pair differs by −1, 0 or +1
 * with symmetric probabilities), each checked 1,000 times as pairs arrive. A false alarm is any
 * look whose interval excludes 0. The confidence sequence must keep the share of streams with a
 * false alarm under the nominal 5%; the fixed-sample interval re-checked at every look must not
 * (which is why sequential mode exists).
 */
function simulate(streams: number, looks: number, pairsPerLook: number, seed: number) {
  const random = mulberry32(seed);
  let sequentialAlarms = 0;
  let naiveAlarms = 0;
  for (let stream = 0; stream < streams; stream++) {
    let n = 0;
    let sum = 0;
    let sumOfSquares = 0;
    let sequential = false;
    let naive = false;
    for (let look = 0; look < looks; look++) {
      for (let pair = 0; pair < pairsPerLook; pair++) {
        const u = random();
        // 8% of pairs flip each way: d = +1, 8% d = −1, otherwise 0.
        const d = u < 0.08 ? 1 : u < 0.16 ? -1 : 0;
        n++;
        sum += d;
        sumOfSquares += d * d;
      }
      const interval = confidenceSequence(sum, sumOfSquares, n);
      if (interval && (interval.low > 0 || interval.high < 0)) sequential = true;
      const mean = sum / n;
      const se = Math.sqrt((sumOfSquares / n - mean * mean) / n);
      if (n >= 30 && Math.abs(mean) > 1.959964 * se) naive = true;
    }
    if (sequential) sequentialAlarms++;
    if (naive) naiveAlarms++;
  }
  return { sequential: sequentialAlarms / streams, naive: naiveAlarms / streams };
}

describe("sequential gate (mSPRT confidence sequences)", () => {
  it("keeps the false-alarm rate of an A/A stream checked 1,000 times under 5%", () => {
    const rates = simulate(400, 1_000, 5, 20261125);
    expect(rates.sequential).toBeLessThan(0.05);
    // The fixed-sample interval, peeked at 1,000 times, alarms far more often than 5%.
    expect(rates.naive).toBeGreaterThan(0.2);
  });

  it("still detects a real shift", () => {
    const random = mulberry32(7);
    let n = 0;
    let sum = 0;
    let sumOfSquares = 0;
    let detectedAt: number | undefined;
    while (n < 20_000 && detectedAt === undefined) {
      const u = random();
      const d = u < 0.12 ? 1 : u < 0.16 ? -1 : 0; // candidate flips 3x as often as it un-flips
      n++;
      sum += d;
      sumOfSquares += d * d;
      const interval = confidenceSequence(sum, sumOfSquares, n);
      if (interval && interval.low > 0) detectedAt = n;
    }
    expect(detectedAt).toBeDefined();
    expect(detectedAt).toBeLessThan(5_000);
  });

  it("waits for enough observations", () => {
    expect(confidenceSequence(3, 3, 10)).toBeUndefined();
  });
});
