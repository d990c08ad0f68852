import { describe, expect, it } from "vitest";
import type { ExchangeRecord } from "../../../src/contracts/exchange.js";
import { DEFAULT_RULES } from "../../../src/contracts/rules.js";
import { PairBuilder } from "../../../src/pairing/pair-builder.js";
import { PairDiffer } from "../../../src/pairing/pair-differ.js";
import { record } from "../records.js";

const pricing = { version: 1, currency: "USD", models: {} };

function withLabels(base: ExchangeRecord, labels: Record<string, string> | undefined): ExchangeRecord {
  const { labels: _dropped, ...rest } = base;
  return labels === undefined ? rest : { ...rest, labels };
}

function segmentOf(baseline: ExchangeRecord, candidate: ExchangeRecord): Record<string, string> {
  const row = new PairBuilder(new PairDiffer(DEFAULT_RULES), [], pricing).build(baseline, candidate, 1);
  return Object.fromEntries(row.label_keys.map((key, index) => [key, row.label_values[index] as string]));
}

describe("a pair's segment labels", () => {
  it("come from the baseline, so a label that depends on the outcome cannot move a pair between segments", () => {
    const baseline = withLabels(record(), { tenant: "acme", resolution: "refund" });
    const candidate = withLabels(record({ releaseId: "sha256:cand", outcome: { action: "exchange" } }), {
      tenant: "acme",
      resolution: "exchange",
    });
    expect(segmentOf(baseline, candidate)).toEqual({ tenant: "acme", resolution: "refund" });
  });

  it("are the candidate's only when the baseline record has none", () => {
    const baseline = withLabels(record(), undefined);
    const candidate = withLabels(record({ releaseId: "sha256:cand" }), { tenant: "globex" });
    expect(segmentOf(baseline, candidate)).toEqual({ tenant: "globex" });
    expect(segmentOf(withLabels(record(), undefined), withLabels(record(), undefined))).toEqual({});
  });
});
