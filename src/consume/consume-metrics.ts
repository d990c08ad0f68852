import type { BatchOutput } from "../pairing/batch-output.js";

/** What a batch's metrics need besides its output. */
export interface BatchTally {
  readonly records: number;
  readonly partition: number;
  /** Messages behind the high watermark after the batch. */
  readonly lag: number;
  /** `Clock.monotonic()` when the batch arrived: its latency runs from then to the acknowledgement. */
  readonly startedAt: number;
}

/** Counters of a consumer's life, also served as Prometheus text. */
export class ConsumeMetrics {
  records = 0;
  pairs = 0;
  unpaired = 0;
  invalid = 0;
  batches = 0;
  batchSeconds = 0;
  storeRetries = 0;
  /** Messages behind the high watermark, per partition, after the last batch. */
  readonly lag = new Map<number, number>();

  /** Counts a batch once stored, at `Clock.monotonic()` time `now`. */
  countBatch(output: BatchOutput, tally: BatchTally, now: number): void {
    this.records += tally.records;
    this.pairs += output.pairs.rows;
    this.unpaired += output.unpaired.length;
    this.invalid += output.deadLetters.length;
    this.batches++;
    this.batchSeconds += (now - tally.startedAt) / 1000;
    this.lag.set(tally.partition, tally.lag);
  }

  /** Records stored as unpaired outside any batch (their join window passed on a quiet topic). */
  countUnpaired(count: number): void {
    this.unpaired += count;
  }

  countStoreRetry(): void {
    this.storeRetries++;
  }

  /** Messages behind the high watermark over every partition seen. */
  totalLag(): number {
    let total = 0;
    for (const lag of this.lag.values()) total += lag;
    return total;
  }
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
