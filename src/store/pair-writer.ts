import type { PairRow, ReleaseRow, UnpairedRow } from "../contracts/pair-row.js";
import type { PairWriter, Store } from "./store.js";
import type { EncodedRows } from "./tab-separated.js";

/**
 * Writes pairs and releases to the store. Both tables replace by key, so writing a batch again
 * (a retry, a Kafka redelivery, a second run over the same capture) changes no report.
 */
export function storePairWriter(store: Store): PairWriter {
  return {
    writePairs: (rows: readonly PairRow[]) => store.insertRows("pairs", rows),
    writeEncodedPairs: (encoded: EncodedRows) => store.insertEncoded("pairs", encoded),
    writeReleases: (rows: readonly ReleaseRow[]) => store.insertRows("releases", rows),
    writeUnpaired: (rows: readonly UnpairedRow[]) => store.insertRows("unpaired", rows),
  };
}
