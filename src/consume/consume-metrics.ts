import { Counter, Gauge, Registry, Summary } from "prom-client";
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

/**
 * Counters of a consumer's life: read as numbers by the CLI's progress and summary lines, and
 * served as Prometheus text by prom-client from the consumer's own Registry (never the global
 * one: a library caller's registry stays its own). Updated once per stored batch, not per
 * record, so the hot path pays a few increments a batch.
 */
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
  readonly registry = new Registry();
  private readonly exported = {
    records: this.counter("shadowdiff_records_total", "records consumed and stored (valid or not)"),
    pairs: this.counter("shadowdiff_pairs_total", "pairs stored"),
    unpaired: this.counter("shadowdiff_unpaired_total", "records stored as unpaired"),
    invalid: this.counter("shadowdiff_invalid_total", "invalid records sent to the dead-letter topic"),
    storeRetries: this.counter("shadowdiff_store_retries_total", "store writes retried"),
    // No quantiles: the sum and count alone, as a mean batch latency over any window.
    batchSeconds: new Summary({
      name: "shadowdiff_batch_seconds",
      help: "seconds from a batch's arrival to the store's acknowledgement",
      percentiles: [],
      registers: [this.registry],
    }),
    lag: new Gauge({
      name: "shadowdiff_lag",
      help: "messages behind the high watermark after the last batch",
      labelNames: ["partition"] as const,
      registers: [this.registry],
    }),
  };

  /** Counts a batch once stored, at `Clock.monotonic()` time `now`. */
  countBatch(output: BatchOutput, tally: BatchTally, now: number): void {
    const seconds = (now - tally.startedAt) / 1000;
    this.records += tally.records;
    this.pairs += output.pairs.rows;
    this.unpaired += output.unpaired.length;
    this.invalid += output.deadLetters.length;
    this.batches++;
    this.batchSeconds += seconds;
    this.lag.set(tally.partition, tally.lag);
    const { exported } = this;
    exported.records.inc(tally.records);
    exported.pairs.inc(output.pairs.rows);
    exported.unpaired.inc(output.unpaired.length);
    exported.invalid.inc(output.deadLetters.length);
    exported.batchSeconds.observe(seconds);
    exported.lag.set({ partition: tally.partition }, tally.lag);
  }

  /**
   * Rows stored outside any batch, on a timer: records whose join window passed on a quiet topic,
   * traces whose grace window passed (their pairs, unpaired rows and dead letters).
   */
  countOutsideBatch(output: BatchOutput): void {
    this.pairs += output.pairs.rows;
    this.unpaired += output.unpaired.length;
    this.invalid += output.deadLetters.length;
    this.exported.pairs.inc(output.pairs.rows);
    this.exported.unpaired.inc(output.unpaired.length);
    this.exported.invalid.inc(output.deadLetters.length);
  }

  countStoreRetry(): void {
    this.storeRetries++;
    this.exported.storeRetries.inc();
  }

  /** Messages behind the high watermark over every partition seen. */
  totalLag(): number {
    let total = 0;
    for (const lag of this.lag.values()) total += lag;
    return total;
  }

  /** The metrics as Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  private counter(name: string, help: string): Counter {
    return new Counter({ name, help, registers: [this.registry] });
  }
}
