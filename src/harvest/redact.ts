import type { DriftReport, ExampleStep, SegmentReport } from "../analyze/report-types.js";
import { descend, isIgnoredHere, type PointerPattern, parsePointer } from "../normalize/pointer.js";
import { isCardInteger } from "./redact-card.js";
import { scrubNumbers } from "./redact-digits.js";
import { scrubEmails } from "./redact-email.js";
import { isPhoneInteger, isPhoneKey } from "./redact-phone.js";

/**
 * Redaction before anything leaves for an eval bench or a report: configured JSON paths are
 * replaced whole, and every string is scrubbed of e-mail addresses (`<email>`), payment card
 * numbers (`<card>`) and phone numbers (`<phone>`); a JSON number that holds a card or a phone
 * number becomes that placeholder string too. Dates, times, amounts, ids, versions and addresses
 * are left as they were; the rules and their limits are in redact-card.ts and redact-phone.ts,
 * and the corpus in test/unit/harvest/redact-corpus.test.ts. Linear in the size of the input.
 */
export function redactText(text: string): string {
  return scrubText(text, false);
}

function scrubText(text: string, underPhoneKey: boolean): string {
  return scrubNumbers(scrubEmails(text), underPhoneKey);
}

function scrubLeaf(value: unknown, underPhoneKey: boolean): unknown {
  if (typeof value === "string") return scrubText(value, underPhoneKey);
  if (typeof value === "number" || typeof value === "bigint") {
    if (isCardInteger(value)) return "<card>";
    if (isPhoneInteger(value, underPhoneKey)) return "<phone>";
  }
  return value;
}

type Container = Record<string, unknown> | unknown[];

interface Pending {
  readonly source: unknown;
  readonly patterns: readonly PointerPattern[];
  /** Inside a value whose key names a phone (`phone`, `mobilePhone`): bare digits are phones. */
  readonly underPhoneKey: boolean;
  readonly target: Container;
  readonly key: string | number;
}

/**
 * Walked with an explicit stack, not recursion, so JSON nested deeper than the call stack (a
 * hostile or generated record) is handled. Keys are written with defineProperty where a plain
 * assignment would not make a property: `__proto__` from JSON.parse is data and stays data.
 */
export function redactValue(value: unknown, paths: readonly string[] = []): unknown {
  const root: unknown[] = [undefined];
  const stack: Pending[] = [
    { source: value, patterns: paths.map(parsePointer), underPhoneKey: false, target: root, key: 0 },
  ];
  for (let pending = stack.pop(); pending !== undefined; pending = stack.pop()) {
    const { source, patterns, underPhoneKey, target, key } = pending;
    if (source === null || typeof source !== "object") {
      setOwn(target, key, scrubLeaf(source, underPhoneKey));
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      setOwn(target, key, copy);
      for (let index = 0; index < source.length; index++) {
        const below = descend(patterns, String(index));
        if (isIgnoredHere(below)) copy[index] = "<redacted>";
        else stack.push({ source: source[index], patterns: below, underPhoneKey, target: copy, key: index });
      }
    } else {
      const copy: Record<string, unknown> = {};
      setOwn(target, key, copy);
      for (const [childKey, item] of Object.entries(source)) {
        const below = descend(patterns, childKey);
        // Keys are data too (`{"ann@example.com": {...}}`): scrubbed like text. Two keys that
        // scrub alike stay apart with a counter, so no value is lost.
        const outKey = uniqueKey(copy, redactText(childKey));
        // Every key is claimed now, in the source's order, as "<redacted>"; the stack fills in
        // the ones not configured for redaction later without moving them.
        setOwn(copy, outKey, "<redacted>");
        if (isIgnoredHere(below)) continue;
        const phone = underPhoneKey || isPhoneKey(childKey);
        stack.push({ source: item, patterns: below, underPhoneKey: phone, target: copy, key: outKey });
      }
    }
  }
  return root[0];
}

function uniqueKey(target: Record<string, unknown>, key: string): string {
  if (!Object.hasOwn(target, key)) return key;
  let count = 2;
  while (Object.hasOwn(target, `${key}#${count}`)) count++;
  return `${key}#${count}`;
}

function setOwn(target: Container, key: string | number, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (target as Record<string | number, unknown>)[key] = value;
  }
}

/**
 * A report's example pairs with the same scrubbing applied to their reasons and step arguments:
 * reports travel further than the store (CI artifacts, PR comments), so they carry no e-mail
 * address, phone or card number either.
 */
export function redactExamples(examples: DriftReport["examples"]): DriftReport["examples"] {
  const redactSteps = (steps: readonly ExampleStep[]) =>
    steps.map((step) => ({ ...step, args: redactValue(step.args) }));
  return Object.fromEntries(
    Object.entries(examples).map(([category, rows]) => [
      category,
      (rows ?? []).map((row) => ({
        ...row,
        reason: redactText(row.reason),
        baseline_steps: redactSteps(row.baseline_steps),
        candidate_steps: redactSteps(row.candidate_steps),
        // The answers and errors come from the raw records: scrubbed as the arguments are.
        baseline_answer: redactValue(row.baseline_answer) as typeof row.baseline_answer,
        candidate_answer: redactValue(row.candidate_answer) as typeof row.candidate_answer,
      })),
    ]),
  );
}

/**
 * A report as it leaves the store (terminal, files, CI artifacts): its example pairs scrubbed
 * (`redactExamples`), and the judge's reasons too, since a judge may quote an answer.
 */
export function redactReport(report: DriftReport): DriftReport {
  const segment = (entry: SegmentReport): SegmentReport => {
    const judge = entry.sufficient ? entry.scores.judge : undefined;
    const examples = judge?.judge?.examples;
    if (!entry.sufficient || judge === undefined || judge.judge === undefined || examples === undefined)
      return entry;
    const reasons = examples.map((example) => ({ ...example, reason: redactText(example.reason) }));
    return {
      ...entry,
      scores: { ...entry.scores, judge: { ...judge, judge: { ...judge.judge, examples: reasons } } },
    };
  };
  const segments = Object.create(null) as Record<string, SegmentReport[]>;
  for (const [dimension, list] of Object.entries(report.segments)) segments[dimension] = list.map(segment);
  return { ...report, examples: redactExamples(report.examples), overall: segment(report.overall), segments };
}
