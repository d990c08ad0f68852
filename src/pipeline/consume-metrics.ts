import type { BatchOutput } from "./consume-output.js";

/** Counters of a consumer's life, also served as Prometheus text. */
export interface ConsumeMetrics {
  records: number;
  pairs: number;
  unpaired: number;
  invalid: number;
  batches: number;
  batchSeconds: number;
  storeRetries: number;
  /** Messages behind the high watermark, per partition, after the last batch. */
  readonly lag: Map<number, number>;
}

export function emptyMetrics(): ConsumeMetrics {
  return {
    records: 0,
    pairs: 0,
    unpaired: 0,
    invalid: 0,
    batches: 0,
    batchSeconds: 0,
    storeRetries: 0,
    lag: new Map(),
  };
}

/** The counters as Prometheus text exposition. */
export function prometheusText(metrics: ConsumeMetrics): string {
  const lines = [
    "# TYPE shadowdiff_records_total counter",
    `shadowdiff_records_total ${metrics.records}`,
    "# TYPE shadowdiff_pairs_total counter",
    `shadowdiff_pairs_total ${metrics.pairs}`,
    "# TYPE shadowdiff_unpaired_total counter",
    `shadowdiff_unpaired_total ${metrics.unpaired}`,
    "# TYPE shadowdiff_invalid_total counter",
    `shadowdiff_invalid_total ${metrics.invalid}`,
    "# TYPE shadowdiff_store_retries_total counter",
    `shadowdiff_store_retries_total ${metrics.storeRetries}`,
    "# TYPE shadowdiff_batch_seconds summary",
    `shadowdiff_batch_seconds_sum ${metrics.batchSeconds}`,
    `shadowdiff_batch_seconds_count ${metrics.batches}`,
    "# TYPE shadowdiff_lag gauge",
    ...[...metrics.lag].map(([partition, lag]) => `shadowdiff_lag{partition="${partition}"} ${lag}`),
  ];
  return `${lines.join("\n")}\n`;
}

/** Counts a batch once stored; its latency runs from arrival to the store's acknowledgement. */
export function countBatch(
  metrics: ConsumeMetrics,
  batch: StoredBatch,
  onProgress?: (metrics: ConsumeMetrics) => void,
): void {
  metrics.records += batch.records;
  metrics.pairs += batch.pairs.rows;
  metrics.unpaired += batch.unpaired.length;
  metrics.invalid += batch.deadLetters.length;
  metrics.batches++;
  metrics.batchSeconds += (performance.now() - batch.started) / 1000;
  metrics.lag.set(batch.partition, batch.lag);
  onProgress?.(metrics);
}

/** A batch's output with what its metrics need. */
export interface StoredBatch extends BatchOutput {
  readonly records: number;
  readonly partition: number;
  readonly lag: number;
  readonly started: number;
}
