import type { ReleaseRow, UnpairedRow } from "../contracts/pair-row.js";
import { concatEncoded, type EncodedRows } from "../store/tab-separated.js";

/** A dead-letter message as the producer sends it: the record as received, the reason in headers. */
export interface DeadLetterMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/**
 * What a batch of records turned into, whichever way it was diffed (diff threads, in-thread,
 * executed candidates, pair-join). All of it is acknowledged (dead-letter topic, then store)
 * before the offsets of its records may be committed.
 */
export interface BatchOutput {
  /** Encoded at once: a buffer then holds bytes, not row objects the GC would have to trace. */
  readonly pairs: EncodedRows;
  readonly unpaired: readonly UnpairedRow[];
  readonly releases: readonly ReleaseRow[];
  readonly deadLetters: readonly DeadLetterMessage[];
}

/** Several outputs as one (one store write for many batches). */
export function mergeOutputs(outputs: readonly BatchOutput[]): BatchOutput {
  if (outputs.length === 1) return outputs[0] as BatchOutput;
  return {
    pairs: concatEncoded(outputs.map((output) => output.pairs)),
    unpaired: outputs.flatMap((output) => output.unpaired),
    releases: outputs.flatMap((output) => output.releases),
    deadLetters: outputs.flatMap((output) => output.deadLetters),
  };
}
