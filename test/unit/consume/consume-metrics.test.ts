import { describe, expect, it } from "vitest";
import { ConsumeMetrics } from "../../../src/consume/consume-metrics.js";
import type { UnpairedRow } from "../../../src/contracts/pair-row.js";
import { encodeRows } from "../../../src/store/tab-separated.js";

const output = (pairs: number, invalid = 0) => ({
  pairs: encodeRows(Array.from({ length: pairs }, (_, index) => ({ id: index }))),
  unpaired: [],
  releases: [],
  deadLetters: Array.from({ length: invalid }, () => ({ key: null, value: null, headers: {} })),
});

describe("the consumer's metrics", () => {
  it("serves every counter under its name, as Prometheus text, with the numbers the CLI prints", async () => {
    const metrics = new ConsumeMetrics();
    metrics.countBatch(output(3, 1), { records: 4, partition: 0, lag: 7, startedAt: 1_000 }, 1_500);
    metrics.countBatch(output(2), { records: 2, partition: 1, lag: 0, startedAt: 2_000 }, 2_250);
    metrics.countBatch(output(1), { records: 1, partition: 0, lag: 2, startedAt: 3_000 }, 3_250);
    // Five records whose window passed on a quiet topic, stored by a tick: only their count matters here.
    metrics.countOutsideBatch({
      ...output(0),
      unpaired: Array.from({ length: 5 }, () => ({}) as UnpairedRow),
    });
    metrics.countStoreRetry();
    const text = await metrics.text();
    expect(text).toMatch(/^# TYPE shadowdiff_records_total counter$/m);
    expect(text).toMatch(/^shadowdiff_records_total 7$/m);
    expect(text).toMatch(/^shadowdiff_pairs_total 6$/m);
    expect(text).toMatch(/^shadowdiff_unpaired_total 5$/m);
    expect(text).toMatch(/^shadowdiff_invalid_total 1$/m);
    expect(text).toMatch(/^shadowdiff_store_retries_total 1$/m);
    expect(text).toMatch(/^# TYPE shadowdiff_batch_seconds summary$/m);
    expect(text).toMatch(/^shadowdiff_batch_seconds_sum 1$/m);
    expect(text).toMatch(/^shadowdiff_batch_seconds_count 3$/m);
    expect(text).not.toMatch(/quantile/);
    expect(text).toMatch(/^# TYPE shadowdiff_lag gauge$/m);
    expect(text).toMatch(/^shadowdiff_lag\{partition="0"\} 2$/m);
    expect(text).toMatch(/^shadowdiff_lag\{partition="1"\} 0$/m);
    expect([metrics.records, metrics.pairs, metrics.unpaired, metrics.invalid, metrics.batches]).toEqual([
      7, 6, 5, 1, 3,
    ]);
    expect(metrics.totalLag()).toBe(2);
  });

  it("keeps each consumer's metrics in its own registry", async () => {
    const one = new ConsumeMetrics();
    const two = new ConsumeMetrics();
    one.countStoreRetry();
    expect(await two.text()).toMatch(/^shadowdiff_store_retries_total 0$/m);
  });
});
