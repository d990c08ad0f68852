/**
 * The baseline: `redactText` as it was before issue 14 (`git show 55fd730:src/harvest/redact.ts`),
 * copied unchanged so bench/redact/run.ts can time it beside the current implementation. Its
 * e-mail pattern backtracks quadratically on long runs without an "@"; do not use it elsewhere.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// Not inside a longer token: a UUID's digit groups or an order id are not phone numbers.
const PHONE = /(?<![\w-])\+?\(?\d[\d ().-]{7,}\d(?![\w-])/g;
const CARD = /(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])/g;

export function baselineRedactText(text: string): string {
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
