import type { ExchangeRecord } from "../../../src/contracts/exchange.js";
import { DEFAULT_RULES, type DiffRules } from "../../../src/contracts/rules.js";
import { diffPair } from "../../../src/diff/pair-diff.js";
import { compileRules } from "../../../src/normalize/compile-rules.js";
import { normalizeTrace } from "../../../src/normalize/trace.js";

export function rulesWith(overrides: Partial<DiffRules> = {}) {
  return compileRules({ ...DEFAULT_RULES, ...overrides });
}

export function diffRecords(
  baseline: ExchangeRecord,
  candidate: ExchangeRecord,
  overrides: Partial<DiffRules> = {},
) {
  const rules = rulesWith(overrides);
  return diffPair(normalizeTrace(baseline, rules), normalizeTrace(candidate, rules), rules);
}
