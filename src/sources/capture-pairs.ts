import type { ShadowdiffError } from "../contracts/errors.js";
import { type ExchangeRecord, pairKey } from "../contracts/exchange.js";
import { type CaptureItem, readCapture } from "./capture-file.js";
import { joinByKey } from "./join.js";

export type PairEvent =
  | { readonly kind: "pair"; readonly baseline: ExchangeRecord; readonly candidate: ExchangeRecord }
  | { readonly kind: "unpaired"; readonly side: "baseline" | "candidate"; readonly record: ExchangeRecord }
  | {
      readonly kind: "invalid";
      readonly side: "baseline" | "candidate";
      readonly error: ShadowdiffError;
      readonly text: string;
    };

/**
 * How a candidate record finds its baseline: by id and replica for candidates, by id alone for
 * an A/A re-run (its replica ≥ 1 shadows the baseline's replica 0).
 */
export type PairingKey = "id-and-replica" | "id";

/** Pairs a baseline capture with a candidate (or A/A) capture, streaming both. */
export async function* pairCaptureFiles(
  baselinePath: string,
  candidatePath: string,
  pairing: PairingKey,
): AsyncGenerator<PairEvent> {
  const candidateKey = pairing === "id" ? (record: ExchangeRecord) => record.id : pairKey;
  const keyOf = (recordKey: (record: ExchangeRecord) => string) => (item: CaptureItem) =>
    item.kind === "record" ? recordKey(item.record) : undefined;
  const events = joinByKey(
    readCapture(baselinePath),
    readCapture(candidatePath),
    keyOf(pairKey),
    keyOf(candidateKey),
  );
  for await (const event of events) {
    const side = event.kind === "pair" ? "baseline" : event.side === "left" ? "baseline" : "candidate";
    if (event.kind === "pair") {
      if (event.left.kind === "record" && event.right.kind === "record") {
        yield { kind: "pair", baseline: event.left.record, candidate: event.right.record };
      }
    } else if (event.item.kind === "invalid") {
      yield { kind: "invalid", side, error: event.item.error, text: event.item.text };
    } else if (event.kind === "unpaired") {
      yield { kind: "unpaired", side, record: event.item.record };
    }
  }
}
