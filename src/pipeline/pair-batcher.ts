import type { PairRow } from "../contracts/pair-row.js";
import type { PairWriter } from "../store/store.js";

/**
 * Collects rows and writes them in batches of thousands: ClickHouse wants few large inserts
 * (every insert creates a part on disk), never one row at a time.
 */
export class PairBatcher {
  written = 0;
  private rows: PairRow[] = [];

  constructor(
    private readonly writer: PairWriter,
    private readonly batchSize: number,
  ) {}

  async add(row: PairRow): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const batch = this.rows;
    this.rows = [];
    await this.writer.writePairs(batch);
    this.written += batch.length;
  }
}
