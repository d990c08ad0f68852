import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { PAIR_CATEGORIES } from "../../src/contracts/categories.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import type { PricingTable } from "../../src/contracts/pricing.js";
import { readPricing } from "../../src/contracts/read-pricing.js";
import { DEFAULT_RULES } from "../../src/contracts/rules.js";
import { parseExchangeLine } from "../../src/contracts/validate-record.js";
import { diffPair } from "../../src/diff/pair-diff.js";
import { compileRules } from "../../src/normalize/compile-rules.js";
import { normalizeTrace } from "../../src/normalize/trace.js";
import { PairBuilder } from "../../src/pairing/pair-builder.js";
import { PairDiffer } from "../../src/pairing/pair-differ.js";
import { runs, timed } from "./bounded.js";
import { PROTOTYPE_KEYS } from "./hostile.js";
import { PRICED_MODEL, pairParts, type RecordParts, recordParts, recordText } from "./record-text.js";

const origin = { source: "fuzz.jsonl", line: 1 };

function parseOrRefusal(text: string): ExchangeRecord | string {
  const result = parseExchangeLine(text, origin);
  return result.ok ? result.record : result.error.message;
}

function parsed(text: string): ExchangeRecord {
  const result = parseOrRefusal(text);
  if (typeof result === "string") throw new Error(`a valid record was refused: ${result}`);
  return result;
}

let pricing: PricingTable;
beforeAll(async () => {
  pricing = await readPricing();
});

describe("pair rows of hostile records", () => {
  it("builds a row whose fields agree with the diff, the labels and the pricing table", () => {
    const compiled = compileRules(DEFAULT_RULES);
    fc.assert(
      fc.property(pairParts, ([baselineParts, candidateParts]) => {
        const baseline = parsed(recordText(baselineParts));
        const candidate = parsed(recordText(candidateParts, "sha256:cand"));
        const row = timed("PairBuilder.build", 3_000, () =>
          new PairBuilder(new PairDiffer(DEFAULT_RULES), [], pricing).build(baseline, candidate, 1),
        );
        const diff = diffPair(
          normalizeTrace(baseline, compiled),
          normalizeTrace(candidate, compiled),
          compiled,
        );

        expect(PAIR_CATEGORIES).toContain(row.category);
        expect(row.category).toBe(diff.category);
        const labels = baseline.labels ?? {};
        expect(row.label_keys).toEqual(Object.keys(labels).sort());
        expect(row.label_values).toEqual(
          row.label_keys.map((key) => Object.getOwnPropertyDescriptor(labels, key)?.value),
        );
        for (const [model, cost, priced] of [
          [baselineParts.model, row.baseline_cost, row.baseline_priced],
          [candidateParts.model, row.candidate_cost, row.candidate_priced],
        ] as const) {
          expect(Number.isFinite(cost) && cost >= 0).toBe(true);
          expect(priced).toBe(model === PRICED_MODEL ? 1 : 0);
        }
        expect(row.raw === "").toBe(row.category === "identical");
        if (row.raw !== "") expect(() => JSON.parse(row.raw)).not.toThrow();
        expect(() => JSON.parse(row.baseline_steps)).not.toThrow();
      }),
      runs(1511, 100),
    );
  }, 60_000);

  // FINDING: requestCost looks the model up on the plain object the pricing YAML parses to, so a
  // release whose model is `constructor`, `__proto__` or `toString` finds Object.prototype's
  // member: the row says priced = 1 with a cost of NaN.
  it("leaves a model the pricing table does not list unpriced, whatever its name", () => {
    fc.assert(
      fc.property(recordParts, fc.constantFrom(...PROTOTYPE_KEYS), (parts, model) => {
        const side: RecordParts = { ...parts, model, error: null };
        const row = new PairBuilder(new PairDiffer(DEFAULT_RULES), [], pricing).build(
          parsed(recordText(side)),
          parsed(recordText(side, "sha256:cand")),
          1,
        );
        expect([row.baseline_priced, row.baseline_cost]).toEqual([0, 0]);
      }),
      runs(1512, 20),
    );
  });

  // FINDING: trajectory matching builds every baseline × candidate compatibility (Kuhn's matching
  // over all calls of a turn, twice), so its time grows with the square of the calls. 5,000-5,500
  // calls in one turn (about 350 KB a record, a twentieth of the 8 MB record bound) take about
  // 2.5 s on this machine; at the record bound a pair would take hours. Either a located refusal (a stated limit
  // on calls) or a diff within 1 s passes (the edit-distance table alone, also quadratic but
  // cheap, takes about 0.4 s here).
  it("diffs records with thousands of calls in one turn within a bound, or refuses them", () => {
    const manyCalls = fc.record({
      calls: fc.integer({ min: 5_000, max: 5_500 }),
      names: fc.integer({ min: 1, max: 2 }),
      reversed: fc.boolean(),
    });
    const compiled = compileRules(DEFAULT_RULES);
    fc.assert(
      fc.property(recordParts, manyCalls, (parts, { calls, names, reversed }) => {
        const step = (index: number, value: number) =>
          ({
            name: `tool${index % names}`,
            turn: 0,
            args: `{"i":${value}}`,
            result: undefined,
            failed: false,
          }) as const;
        const baselineSteps = Array.from({ length: calls }, (_, index) => step(index, index));
        const order = (index: number) => (reversed ? calls - 1 - index : (index + 1) % calls);
        // The same calls in another order, one of them with other arguments.
        const candidateSteps = Array.from({ length: calls }, (_, index) =>
          step(order(index), index === 0 ? -1 : order(index)),
        );
        const baseline = parseOrRefusal(recordText({ ...parts, error: null, steps: baselineSteps }));
        const candidate = parseOrRefusal(
          recordText({ ...parts, error: null, steps: candidateSteps }, "sha256:cand"),
        );
        if (typeof baseline === "string" || typeof candidate === "string") {
          for (const refusal of [baseline, candidate])
            if (typeof refusal === "string") expect(refusal).toMatch(/^fuzz\.jsonl:1\b/);
          return;
        }
        timed(`diff of ${calls} calls a side`, 1_000, () =>
          diffPair(normalizeTrace(baseline, compiled), normalizeTrace(candidate, compiled), compiled),
        );
      }),
      // No shrinking: each case takes seconds today, and the size is the counterexample.
      runs(1513, 2, { endOnFailure: true }),
    );
  }, 60_000);
});
