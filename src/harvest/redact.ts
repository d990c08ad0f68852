import type { DriftReport, ExampleStep } from "../analyze/report-types.js";
import { descend, isIgnoredHere, type PointerPattern, parsePointer } from "../normalize/pointer.js";

/**
 * Redaction before anything leaves for an eval bench: configured JSON paths are replaced whole,
 * and every string is scrubbed of e-mail addresses, phone numbers and payment card numbers
 * (digit runs of 13–19 that pass the Luhn check, so order ids and amounts survive).
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// Not inside a longer token: a UUID's digit groups or an order id are not phone numbers.
const PHONE = /(?<![\w-])\+?\(?\d[\d ().-]{7,}\d(?![\w-])/g;
const CARD = /(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])/g;

export function redactText(text: string): string {
  return (
    text
      .replace(CARD, (match) => (luhn(match.replace(/\D/g, "")) ? "<card>" : match))
      .replace(EMAIL, "<email>")
      // E.164 numbers have at most 15 digits; longer runs are account or card-like numbers.
      .replace(PHONE, (match) => {
        const digits = match.replace(/\D/g, "").length;
        return digits >= 9 && digits <= 15 ? "<phone>" : match;
      })
  );
}

export function redactValue(value: unknown, paths: readonly string[] = []): unknown {
  return walk(value, paths.map(parsePointer));
}

function walk(value: unknown, patterns: readonly PointerPattern[]): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      const below = descend(patterns, String(index));
      return isIgnoredHere(below) ? "<redacted>" : walk(item, below);
    });
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const below = descend(patterns, key);
      return [key, isIgnoredHere(below) ? "<redacted>" : walk(item, below)];
    }),
  );
}

function luhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
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
      })),
    ]),
  );
}
