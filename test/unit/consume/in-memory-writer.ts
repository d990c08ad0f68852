import type { PairRow, ReleaseRow, UnpairedRow } from "../../../src/contracts/pair-row.js";
import type { PairWriter } from "../../../src/store/store.js";
import type { EncodedRows } from "../../../src/store/tab-separated.js";

/**
 * A store in memory: what it took, in order, and failures to throw on the next writes (one per
 * write, first in first out), so a test can script an outage or a permanent rejection.
 */
export class InMemoryWriter implements PairWriter {
  readonly writes: string[] = [];
  pairs = 0;
  readonly unpaired: UnpairedRow[] = [];
  readonly releases: ReleaseRow[] = [];
  readonly failures: Error[] = [];
  /** Called before each write; a test may hold a write by returning a promise. */
  gate: () => Promise<void> = async () => {};

  async writePairs(rows: readonly PairRow[]): Promise<void> {
    await this.take(`pairs ${rows.length}`);
    this.pairs += rows.length;
  }

  async writeEncodedPairs(encoded: EncodedRows): Promise<void> {
    await this.take(`pairs ${encoded.rows}`);
    this.pairs += encoded.rows;
  }

  async writeReleases(rows: readonly ReleaseRow[]): Promise<void> {
    await this.take(`releases ${rows.length}`);
    this.releases.push(...rows);
  }

  async writeUnpaired(rows: readonly UnpairedRow[]): Promise<void> {
    await this.take(`unpaired ${rows.length}`);
    this.unpaired.push(...rows);
  }

  private async take(what: string): Promise<void> {
    await this.gate();
    const failure = this.failures.shift();
    if (failure !== undefined) {
      this.writes.push(`failed ${what}`);
      throw failure;
    }
    this.writes.push(what);
  }
}
