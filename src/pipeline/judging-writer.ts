import type { PairWriter } from "../store/store.js";
import type { JudgeStage } from "./judge-stage.js";

/**
 * A pair writer that judges each batch of pairs once it is stored (`run --judge`): a judgement
 * never points at a pair the store does not hold, and the judge sees pairs as they are made.
 * Pre-encoded batches (the consumer's) pass through unjudged: the judge needs the rows.
 */
export function judgingWriter(writer: PairWriter, stage: JudgeStage, version: number): PairWriter {
  return {
    ...writer,
    async writePairs(rows) {
      await writer.writePairs(rows);
      await stage.judgePairs(rows, version);
    },
  };
}
