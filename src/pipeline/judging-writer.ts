import type { PairCategory } from "../contracts/categories.js";
import type { UnjudgedPair } from "../store/judgements.js";
import type { PairWriter } from "../store/store.js";
import type { EncodedRows } from "../store/tab-separated.js";
import { decodeRows } from "../store/tab-separated-decode.js";
import type { JudgeStage } from "./judge-stage.js";

/**
 * A pair writer that judges each batch of pairs once it is stored (`run --judge`, `consume
 * --judge`): a judgement never points at a pair the store does not hold, and the judge sees pairs
 * as they are made. The consumer's pairs come encoded (recorded candidates are diffed in threads
 * and shipped as bytes); the judge reads what it needs back from the encoding, and only for the
 * rows of its categories, so a consumer without a judge pays nothing.
 */
export function judgingWriter(writer: PairWriter, stage: JudgeStage, version: number): PairWriter {
  return {
    ...writer,
    async writePairs(rows) {
      await writer.writePairs(rows);
      await stage.judgePairs(rows, version);
    },
    async writeEncodedPairs(encoded) {
      await writer.writeEncodedPairs(encoded);
      await stage.judgePairs(encodedPairsToJudge(encoded, stage.categories), version);
    },
  };
}

/** The pairs of an encoded batch in these categories, with what the judge reads of them. */
export function encodedPairsToJudge(
  encoded: EncodedRows,
  categories: readonly PairCategory[],
): UnjudgedPair[] {
  // Category names are bare identifiers: compared as encoded, before anything is unescaped.
  const judged = new Set<string>(categories);
  return decodeRows(encoded, (line) =>
    judged.has(line.encoded("category"))
      ? {
          candidate_release: line.text("candidate_release"),
          baseline_release: line.text("baseline_release"),
          request_id: line.text("request_id"),
          replica: Number(line.text("replica")),
          ts: Number(line.text("ts")),
          label_keys: line.list("label_keys"),
          label_values: line.list("label_values"),
          category: line.text("category") as PairCategory,
          raw: line.text("raw"),
        }
      : undefined,
  );
}
