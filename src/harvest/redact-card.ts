import { canEndAt, type DigitChain, type DigitGroup } from "./redact-chain.js";

/**
 * Payment card numbers: 13–19 digits that pass the Luhn check and begin like a card that is
 * issued today. The prefix matters as much as Luhn, which one random number in ten passes:
 * epoch milliseconds, micro- and nanoseconds (13, 16, 19 digits) begin with "1" until 2033, and
 * compact date-times (`20240515153003`) with "20"; neither is a card. Accepted: 2221–2720
 * (Mastercard's 2-series), any 3 (Amex 34/37, JCB 35, Diners 30/36/38/39), 4 (Visa), 5
 * (Mastercard, Maestro) and 6 (Discover, UnionPay, Maestro, RuPay). Not accepted: UATP airline
 * cards (1…) and closed-loop cards (7–9).
 */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && hasCardPrefix(digits) && luhn(digits);
}

function hasCardPrefix(digits: string): boolean {
  const first = digits.charCodeAt(0) - 48;
  if (first === 2) {
    const prefix = Number(digits.slice(0, 4));
    return prefix >= 2221 && prefix <= 2720;
  }
  return first >= 3 && first <= 6;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * The last group of the longest card number starting at group `from`, if any. Cards are written
 * without separators or in groups split by one kind of separator (space or dash) where every group
 * but the last has 4–6 digits: 4-4-4-4, Amex 4-6-5, Diners 4-6-4, 4-4-4-4-3 and 6-13 for 19 digits.
 * So dates (4-2-2), lists of small numbers and decimals (`0.4242…`) never join into one. At most 19
 * digits are read, so the cost per start is bounded.
 */
export function cardWindowEnd(text: string, chain: DigitChain, from: number): number | undefined {
  if (from === 0 && chain.plus) return undefined;
  let digits = "";
  let separator: string | undefined;
  let best: number | undefined;
  for (let index = from; index < chain.groups.length; index++) {
    const group = chain.groups[index] as DigitGroup;
    if (group.open && index > from) break;
    if (index > from) {
      if (group.gap !== " " && group.gap !== "-") break;
      if (separator !== undefined && group.gap !== separator) break;
      separator = group.gap;
      const previous = chain.groups[index - 1] as DigitGroup;
      const previousLength = previous.end - previous.start;
      if (previousLength < 4 || previousLength > 6) break;
    }
    digits += text.slice(group.start, group.end);
    if (digits.length > 19) break;
    if (cardMayEndAt(chain, index, separator) && isCardNumber(digits)) best = index;
    // A lone ")" closes whatever is around the number, so nothing after it belongs to the card.
    if (group.close) break;
  }
  return best;
}

/**
 * Where a card may end: where any number may (before a space, at the chain's end), or before a
 * separator it does not use itself (`4242424242424242/12/27`, `…4242-2025` after spaced groups);
 * a "." after it would make it the integer part of a decimal.
 */
function cardMayEndAt(chain: DigitChain, index: number, separator: string | undefined): boolean {
  if (canEndAt(chain, index)) return true;
  const next = chain.groups[index + 1];
  return next !== undefined && next.gap !== "" && next.gap !== "." && next.gap !== separator;
}

/**
 * A JSON number (or bigint) holding a card number. An integer above 2^53 has lost its last digits
 * when it was parsed (6205500000000000004 reads as 6205500000000000000), so Luhn can no longer be
 * checked: one of 17–19 digits with a card's prefix is taken as a card anyway, since ids that long
 * (snowflakes, nanosecond timestamps) begin with "1".
 */
export function isCardInteger(value: number | bigint): boolean {
  if (value <= 0) return false;
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    if (!Number.isInteger(value) || value >= 1e19) return false;
    const digits = BigInt(value).toString();
    return digits.length >= 17 && hasCardPrefix(digits);
  }
  return isCardNumber(value.toString());
}
