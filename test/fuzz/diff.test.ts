import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PAIR_CATEGORIES } from "../../src/contracts/categories.js";
import type { ExchangeRecord } from "../../src/contracts/exchange.js";
import { ARGUMENT_MODES, DEFAULT_RULES, TRAJECTORY_MODES } from "../../src/contracts/rules.js";
import { parseExchangeLine } from "../../src/contracts/validate-record.js";
import { diffPair } from "../../src/diff/pair-diff.js";
import { type CompiledRules, compileRules } from "../../src/normalize/compile-rules.js";
import { resolveRules } from "../../src/normalize/resolve-rules.js";
import { normalizeTrace } from "../../src/normalize/trace.js";
import { runs, timed } from "./bounded.js";
import { finiteNumberToken, jsonText, PROTOTYPE_KEYS } from "./hostile.js";
import { pairParts, type RecordParts, recordParts, recordText } from "./record-text.js";

const origin = { source: "fuzz.jsonl", line: 1 };

/** The record a text valid by construction parses to; a refusal is itself a failure. */
function parsed(text: string): ExchangeRecord {
  const result = parseExchangeLine(text, origin);
  if (!result.ok) throw new Error(`a valid record was refused: ${result.error.message}`);
  return result.record;
}

const rules: fc.Arbitrary<CompiledRules> = fc
  .record(
    {
      trajectory: fc.constantFrom(...TRAJECTORY_MODES),
      arguments: fc.constantFrom(...ARGUMENT_MODES),
      ignore_paths: fc.subarray([
        "/outcome/__proto__",
        "/arguments/constructor",
        "/outcome/*/a",
        "/output",
        "/steps/__proto__/arguments/k",
        "/steps/*/arguments/__proto__",
        "/*/prototype",
      ]),
      masks: fc.record({ uuid: fc.boolean(), timestamp: fc.boolean() }),
      numeric_tolerance: fc.record({
        absolute: fc.constantFrom(0, 0.5, 1e308),
        relative: fc.constantFrom(0, 0.01, 1),
      }),
      text: fc.record({
        compare: fc.boolean(),
        collapse_whitespace: fc.boolean(),
        case_sensitive: fc.boolean(),
      }),
    },
    { requiredKeys: [] },
  )
  .map((document) => compileRules(resolveRules(document, "fuzz-rules.yaml")));

/** Masks off and exact comparison: two values compare equal only when they are equal. */
const exactRules = compileRules(resolveRules({ masks: { uuid: false, timestamp: false } }, "exact.yaml"));

function diffOf(baseline: ExchangeRecord, candidate: ExchangeRecord, compiled: CompiledRules) {
  return timed("normalize + diff of one pair", 3_000, () =>
    diffPair(normalizeTrace(baseline, compiled), normalizeTrace(candidate, compiled), compiled),
  );
}

/** The refusal the default detectors see: the record's flag, else a refusing stop reason. */
function refused(parts: RecordParts): boolean {
  if (parts.refusal !== null) return parts.refusal;
  return parts.stopReason !== undefined && DEFAULT_RULES.refusal.stop_reasons.includes(parts.stopReason);
}

/**
 * Canonical text of a parsed JSON value, for an oracle written apart from src/normalize: keys
 * sorted, every key kept (a `__proto__` key is data), numbers as JavaScript prints them.
 */
function canonicalText(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "0" : String(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(",")}]`;
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalText((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(",")}}`;
}

describe("diff of hostile records", () => {
  it("classifies any pair into one known category with a consistent result, within a bound", () => {
    fc.assert(
      fc.property(pairParts, rules, ([baselineParts, candidateParts], compiled) => {
        const baseline = parsed(recordText(baselineParts));
        const candidate = parsed(recordText(candidateParts, "sha256:cand"));
        const diff = diffOf(baseline, candidate, compiled);

        expect(PAIR_CATEGORIES).toContain(diff.category);
        expect(diff.category === "candidate_error").toBe(candidateParts.error !== null);
        if (candidateParts.error === null)
          expect(diff.category === "refusal_flip").toBe(refused(baselineParts) !== refused(candidateParts));
        expect(diff.reason === "").toBe(diff.category === "identical");
        expect(diff.paths).toEqual([...new Set(diff.paths)].sort());
        if (diff.category === "identical") {
          expect(diff.paths).toEqual([]);
          expect([diff.trajectoryMatch, diff.argumentsMatch, diff.outcomeMatch, diff.outputMatch]).toEqual([
            true,
            true,
            true,
            true,
          ]);
        }
        expect(Number.isInteger(diff.editDistance)).toBe(true);
        expect(diff.editDistance).toBeGreaterThanOrEqual(0);
        expect(diff.editDistance).toBeLessThanOrEqual(
          Math.max(baseline.response.steps.length, candidate.response.steps.length),
        );
        expect(diff.alignment).toMatch(/^[=~+-]*$/);
      }),
      runs(1501, 150),
    );
  }, 60_000);

  it("finds a record identical to its own text parsed again (candidate_error when it failed)", () => {
    fc.assert(
      fc.property(recordParts, rules, (parts, compiled) => {
        const text = recordText(parts);
        const diff = diffOf(parsed(text), parsed(text), compiled);
        expect(diff.category).toBe(parts.error === null ? "identical" : "candidate_error");
      }),
      runs(1502, 150),
    );
  }, 60_000);

  it("tells apart outcomes whose JSON values differ, prototype keys included", () => {
    // Finite numbers only: an overflowing token is the finding in the next property.
    const outcome = jsonText({ maxDepth: 3, maxDeepLeaf: 900, numbers: finiteNumberToken });
    const withPrototypeKey = fc
      .tuple(fc.constantFrom(...PROTOTYPE_KEYS), outcome)
      .map(([key, inner]) => `{${JSON.stringify(key)}:${inner}}`);
    const outcomes = fc.oneof(outcome, withPrototypeKey, fc.constant("{}"));
    fc.assert(
      fc.property(recordParts, outcomes, outcomes, (parts, first, second) => {
        const base: RecordParts = { ...parts, error: null, outcome: first };
        const baseline = parsed(recordText(base));
        const candidate = parsed(recordText({ ...base, outcome: second }, "sha256:cand"));
        const differ = canonicalText(baseline.response.outcome) !== canonicalText(candidate.response.outcome);
        const diff = diffOf(baseline, candidate, exactRules);
        expect(diff.category === "outcome_mismatch").toBe(differ);
        expect(diff.outcomeMatch).toBe(!differ);
      }),
      runs(1503, 200),
    );
  }, 60_000);

  // Found here: a number token that overflows (`1e999`) parses to Infinity, which the canonical key
  // (JSON.stringify) wrote as null, so an outcome of 1e999 compared identical to null.
  it("tells an overflowing number token from null", () => {
    const overflowing = fc.constantFrom("1e999", "-1e999", "1E+400");
    fc.assert(
      fc.property(recordParts, overflowing, fc.boolean(), (parts, token, nested) => {
        const wrap = (inner: string) => (nested ? `{"amount":${inner}}` : inner);
        const base: RecordParts = { ...parts, error: null, outcome: wrap(token) };
        const diff = diffOf(
          parsed(recordText(base)),
          parsed(recordText({ ...base, outcome: wrap("null") }, "sha256:cand")),
          exactRules,
        );
        expect(diff.category).toBe("outcome_mismatch");
      }),
      runs(1504, 20),
    );
  });
});
