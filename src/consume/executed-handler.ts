import type { ExchangeRecord } from "../contracts/exchange.js";
import type { PairRow } from "../contracts/pair-row.js";
import type { BatchOutput } from "../pairing/batch-output.js";
import type { PairBuilder } from "../pairing/pair-builder.js";
import { diffRecordedBatch } from "../pairing/recorded-batch.js";
import type { RecordedCapture } from "../sources/recorded-capture.js";
import { concatEncoded, encodeRows } from "../store/tab-separated.js";
import type { BatchHandler, HandledBatch } from "./batch-handler.js";

/** What the handler needs of the execute stage (`ExecutionStage`). */
export interface ShadowStage {
  selects(record: ExchangeRecord): "yes" | "filtered-out" | "sampled-out";
  shadow(baseline: ExchangeRecord, text: string, version: number): Promise<PairRow[]>;
  newReleases(version: number): BatchOutput["releases"];
}

/**
 * Executed candidates: every selected baseline record of the batch is run through the candidate
 * releases, side by side up to `concurrency` (rate limits and the budget are shared, so this
 * runs in the consumer's thread), heart-beating between chunks; recorded candidates given beside
 * them are paired as usual.
 */
export class ExecutedHandler implements BatchHandler {
  constructor(
    private readonly stage: ShadowStage,
    private readonly concurrency: number,
    private readonly candidates: readonly RecordedCapture[],
    private readonly builder: PairBuilder,
  ) {}

  async handle(batch: HandledBatch, version: number): Promise<BatchOutput> {
    const toExecute: { record: ExchangeRecord; text: string }[] = [];
    const recorded = diffRecordedBatch(
      batch.topic,
      batch.partition,
      batch.messages,
      this.candidates,
      this.builder,
      version,
      (record, text) => {
        if (this.stage.selects(record) === "yes") toExecute.push({ record, text });
      },
    );
    const rows: PairRow[] = [];
    for (let start = 0; start < toExecute.length; start += this.concurrency) {
      const chunk = toExecute.slice(start, start + this.concurrency);
      const shadowed = await Promise.all(
        chunk.map(({ record, text }) => this.stage.shadow(record, text, version)),
      );
      rows.push(...shadowed.flat());
      await batch.heartbeat();
    }
    return {
      ...recorded,
      pairs: concatEncoded([recorded.pairs, encodeRows(rows)]),
      releases: [...recorded.releases, ...this.stage.newReleases(version)],
    };
  }
}
