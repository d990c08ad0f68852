import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExchangeRecord } from "../../../src/contracts/exchange.js";
import { DEFAULT_RULES } from "../../../src/contracts/rules.js";
import { compileChecks } from "../../../src/normalize/checks.js";
import { compileRules } from "../../../src/normalize/compile-rules.js";
import { pairScores, toolCounts } from "../../../src/normalize/pair-scores.js";
import { normalizeTrace } from "../../../src/normalize/trace.js";
import { call, record } from "../records.js";

const rules = compileRules(DEFAULT_RULES);

function scored(scores: Record<string, number | boolean> | undefined): ExchangeRecord {
  const base = record();
  return scores === undefined ? base : { ...base, response: { ...base.response, scores } };
}

/** Reference: every name either side has, each looked up on both sides, sorted. */
function referenceScores(baseline: ExchangeRecord, candidate: ExchangeRecord) {
  const value = (scores: ExchangeRecord["response"]["scores"], name: string) => {
    if (scores === undefined || !Object.hasOwn(scores, name)) return Number.NaN;
    const raw = scores[name];
    if (typeof raw === "boolean") return raw ? 1 : 0;
    return typeof raw === "number" && Number.isFinite(raw) ? raw : Number.NaN;
  };
  const union = new Set([
    ...Object.keys(baseline.response.scores ?? {}),
    ...Object.keys(candidate.response.scores ?? {}),
  ]);
  const names = [...union].sort();
  return {
    names,
    baseline: names.map((name) => value(baseline.response.scores, name)),
    candidate: names.map((name) => value(candidate.response.scores, name)),
  };
}

const scoreName = fc.constantFrom("task_success", "helpfulness", "a", "b", "z.score", "_x", "A-1");
const scoreMap = fc.option(
  fc.dictionary(scoreName, fc.oneof(fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true })), {
    maxKeys: 5,
  }),
  { nil: undefined },
);

describe("pairScores", () => {
  it("aligns record scores by name over both sides, a side without one holding NaN", () => {
    fc.assert(
      fc.property(scoreMap, scoreMap, (b, c) => {
        const baseline = scored(b);
        const candidate = scored(c);
        const scores = pairScores(baseline, candidate, []);
        const expected = referenceScores(baseline, candidate);
        expect(scores.names).toEqual(expected.names);
        expect(scores.baseline).toEqual(expected.baseline);
        expect(scores.candidate).toEqual(expected.candidate);
        expect(scores.sources).toEqual(expected.names.map(() => "record"));
        expect(scores.baselineReasons).toEqual(expected.names.map(() => ""));
      }),
      { seed: 1301, numRuns: 300 },
    );
  });

  it("keeps a `__proto__` score name as data on either side", () => {
    const baseline = JSON.parse(JSON.stringify(record())) as ExchangeRecord;
    const candidate = JSON.parse(
      JSON.stringify(record()).replace('"error":null', '"error":null,"scores":{"__proto__":1,"b":true}'),
    ) as ExchangeRecord;
    const scores = pairScores(baseline, candidate, []);
    expect(scores.names).toEqual(["__proto__", "b"]);
    expect(scores.baseline).toEqual([Number.NaN, Number.NaN]);
    expect(scores.candidate).toEqual([1, 1]);
  });

  it("puts checks after the record scores: pass 1, fail 0 with its reason, not applicable NaN", () => {
    const checks = compileChecks({
      refund_has_currency: {
        when: { properties: { response: { properties: { steps: { contains: { required: ["name"] } } } } } },
        expect: {
          properties: {
            response: {
              properties: { steps: { items: { properties: { arguments: { required: ["currency"] } } } } },
            },
          },
        },
      },
    });
    const base = record({ steps: [call("refund_order", { amount: 5, currency: "EUR" })] });
    const failing = record({ steps: [call("refund_order", { amount: 5 })] });
    const scores = pairScores(
      { ...base, response: { ...base.response, scores: { task_success: true } } },
      failing,
      checks,
    );
    expect(scores.names).toEqual(["task_success", "refund_has_currency"]);
    expect(scores.sources).toEqual(["record", "check"]);
    expect(scores.baseline).toEqual([1, 1]);
    expect(scores.candidate).toEqual([Number.NaN, 0]);
    expect(scores.baselineReasons).toEqual(["", ""]);
    expect(scores.candidateReasons).toEqual([
      "",
      "/response/steps/0/arguments must have required property 'currency'",
    ]);
    expect(pairScores(record(), record(), checks).baseline).toEqual([Number.NaN]);
  });
});

describe("toolCounts", () => {
  // Up to 40 distinct names: past 16 the counting switches from scanning the list to a map.
  const names = fc.oneof(
    fc.constantFrom("get_order", "refund_order", "send_email", "__proto__", "constructor"),
    fc.integer({ min: 0, max: 40 }).map((index) => `tool_${index}`),
  );
  const steps = fc.array(fc.record({ name: names, failed: fc.boolean() }), { maxLength: 40 });

  it("counts calls and failed calls per tool over the sorted union of names", () => {
    fc.assert(
      fc.property(steps, steps, (b, c) => {
        const trace = (list: { name: string; failed: boolean }[]) =>
          normalizeTrace(
            record({
              steps: list.map((step) => ({
                ...call(step.name, {}),
                ...(step.failed ? { error: "boom" } : {}),
              })),
            }),
            rules,
          );
        const counts = toolCounts(trace(b), trace(c));
        const union = [...new Set([...b, ...c].map((step) => step.name))].sort();
        const tally = (list: typeof b, name: string, failedOnly: boolean) =>
          list.filter((step) => step.name === name && (!failedOnly || step.failed)).length;
        expect(counts.names).toEqual(union);
        expect(counts.baselineCalls).toEqual(union.map((name) => tally(b, name, false)));
        expect(counts.candidateCalls).toEqual(union.map((name) => tally(c, name, false)));
        expect(counts.baselineFailures).toEqual(union.map((name) => tally(b, name, true)));
        expect(counts.candidateFailures).toEqual(union.map((name) => tally(c, name, true)));
      }),
      { seed: 1302, numRuns: 300 },
    );
  });
});
