import { describe, expect, it } from "vitest";
import { encodedPairsToJudge } from "../../../src/pipeline/judging-writer.js";
import { encodeRows } from "../../../src/store/tab-separated.js";
import { pairRow } from "../../support/pair-rows.js";

describe("the judge's view of an encoded batch of pairs", () => {
  it("reads back exactly the judged categories' pairs, with the fields the judge reads unchanged", () => {
    const raw = JSON.stringify({
      baseline: { response: { output: "tab\there, newline\nthere, back\\slash" } },
      candidate: { response: { output: "it's [[judge:better]]" } },
    });
    const rows = [
      pairRow({ request_id: "req-1", category: "text_only", raw, label_values: ["it's", "a,b"] }),
      pairRow({ request_id: "req-2", category: "identical", raw: "" }),
      pairRow({ request_id: "req-3", category: "outcome_mismatch", replica: 2, ts: 1_700_000_001, raw }),
      pairRow({ request_id: "req-4", category: "args_drift", raw }),
    ];
    const pairs = encodedPairsToJudge(encodeRows(rows), ["text_only", "outcome_mismatch"]);
    const expected = [rows[0], rows[2]].map((row) => ({
      candidate_release: row?.candidate_release,
      baseline_release: row?.baseline_release,
      request_id: row?.request_id,
      replica: row?.replica,
      ts: row?.ts,
      label_keys: row?.label_keys,
      label_values: row?.label_values,
      category: row?.category,
      raw: row?.raw,
    }));
    expect(pairs).toEqual(expected);
    expect(encodedPairsToJudge(encodeRows(rows), ["refusal_flip"])).toEqual([]);
  });
});
