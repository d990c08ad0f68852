import {
  canEndAt,
  type DigitChain,
  type DigitGroup,
  digitsOf,
  hasStrayParenthesis,
  isDigitCode,
  isParenthesized,
} from "./redact-chain.js";
import { fitsCallingCode, internationalVerdict, isValidInternational } from "./redact-dialling.js";

/**
 * Phone numbers, judged on a window of whole digit groups (see redact-chain.ts). libphonenumber-js
 * is used where it knows more than a shape: which country a "+" number dials and how long that
 * country's numbers are, and whether a bare integer is a valid international number. It is not
 * asked about national formats: its finder takes `1234.56 2024`, `2024-05-20` and IPv4 addresses
 * for phones, and its validity check rejects the fictional ranges people write in examples
 * (`07700 900123`, `555-…`), so national numbers are recognised by how they are written:
 *
 * - international: "+" or "00", then 7–15 digits a country of that calling code can have;
 * - North American: `(415) 555-2671`, `415-555-2671`, `415.555.2671`, `1-800-…` (3-3-4 digits,
 *   area code not starting with 0 or 1, one kind of separator, or the area code in parentheses);
 * - trunk-prefixed, as the UK, Germany, France, Italy, Japan and most of the world write them:
 *   a leading "0", 9–12 digits in groups of 2–8 with one kind of separator (`020 7946 0958`,
 *   `0151 23456789`, `030/901820`, `(030) 901820`, `06.12.34.56.78`);
 * - a bare run of digits (`4155552671`) is an id, an account or a timestamp unless a phone word
 *   (`phone`, `call`, `tel`, `my number`, …) comes just before it or it sits under a phone-named
 *   JSON key: then a national number of the kinds above or a valid international number without
 *   its "+" counts.
 * Not caught: national formats without a trunk prefix outside North America (Spain's
 * `912 34 56 78`, Denmark's `12 34 56 78`), which read like grouped amounts, and numbers glued to
 * letters (`2671x12`). A short number after a phone, separated by one space, may be taken with it.
 */
export interface PhoneContext {
  /** A phone word comes just before `position`, or the text sits under a phone-named key. */
  readonly labelled: (position: number) => boolean;
}

const MAX_E164_DIGITS = 15;

export function phoneWindowEnd(
  text: string,
  chain: DigitChain,
  from: number,
  context: PhoneContext,
): number | undefined {
  const first = chain.groups[from] as DigitGroup;
  const plus = from === 0 && chain.plus;
  if (plus || text.startsWith("00", first.start)) return internationalEnd(text, chain, from, plus, context);
  const end = northAmericanEnd(text, chain, from) ?? trunkPrefixedEnd(text, chain, from);
  if (end !== undefined) return end;
  const length = first.end - first.start;
  if (length < 7 || length > MAX_E164_DIGITS + 2 || !canEndAt(chain, from)) return undefined;
  if (!context.labelled(first.start)) return undefined;
  return isLabelledBareNumber(digitsOf(text, chain.groups, from, from)) ? from : undefined;
}

/** The window whose length its calling code's countries use; of several, the longest valid one. */
function internationalEnd(
  text: string,
  chain: DigitChain,
  from: number,
  plus: boolean,
  context: PhoneContext,
): number | undefined {
  const ends: { index: number; digits: string }[] = [];
  let digits = "";
  let parenthesized = 0;
  for (let index = from; index < chain.groups.length; index++) {
    const group = chain.groups[index] as DigitGroup;
    const own = text.slice(group.start, group.end);
    if (isParenthesized(group)) parenthesized++;
    if (parenthesized > 1) break;
    // `+44 (0)20 …`: the national trunk prefix written in parentheses is not dialled.
    const dialled = index === from + 1 && isParenthesized(group) && own === "0" ? "" : own;
    digits += index === from && !plus ? dialled.slice(2) : dialled;
    if (digits.length > MAX_E164_DIGITS) break;
    // After "+", a complete number may be followed by anything (`+44 20 7946 0958/0959`, `…-12`):
    // the calling code's lengths say where it ends.
    const mayEnd = index < chain.groups.length - 1 || !chain.rightAttached;
    if (digits.length < 7 || !mayEnd || hasStrayParenthesis(chain, from, index)) continue;
    // `0044207946…` unseparated is as likely an id as `4420…`: it needs a phone word too.
    if (!plus && index === from && !context.labelled(group.start)) continue;
    ends.push({ index, digits });
  }
  const fitting: { index: number; digits: string }[] = [];
  for (const end of ends) if (fitsCallingCode(end.digits)) fitting.push(end);
  if (fitting.length <= 1) return fitting[0]?.index;
  // `+49 30 901820 10115 Berlin`: German numbers may have 4–15 digits, so both fit; prefer the
  // longest the parser calls valid, else take the longest.
  for (let at = fitting.length - 1; at >= 0; at--) {
    const end = fitting[at] as { index: number; digits: string };
    if (internationalVerdict(end.digits) === "valid") return end.index;
  }
  return fitting[fitting.length - 1]?.index;
}

function northAmericanEnd(text: string, chain: DigitChain, from: number): number | undefined {
  const groups = chain.groups;
  const lead = groups[from] as DigitGroup;
  const leadingOne = lengthOf(lead) === 1 && text[lead.start] === "1";
  const index = leadingOne ? from + 1 : from;
  const area = groups[index];
  const exchange = groups[index + 1];
  const line = groups[index + 2];
  if (area === undefined || exchange === undefined || line === undefined) return undefined;
  if (lengthOf(area) !== 3 || lengthOf(exchange) !== 3 || lengthOf(line) !== 4) return undefined;
  if (text.charCodeAt(area.start) < 50) return undefined;
  const end = index + 2;
  if (hasStrayParenthesis(chain, from, end) || isParenthesized(exchange) || isParenthesized(line))
    return undefined;
  if (leadingOne && isParenthesized(lead)) return undefined;
  if (isParenthesized(area)) {
    if (exchange.gap !== "" && exchange.gap !== " ") return undefined;
    if (line.gap !== "-" && line.gap !== " " && line.gap !== ".") return undefined;
    if (leadingOne && area.gap !== "" && area.gap !== " " && area.gap !== "-") return undefined;
  } else {
    const kind = exchange.gap;
    if (kind !== "-" && kind !== "." && kind !== " ") return undefined;
    if (line.gap !== kind || (leadingOne && area.gap !== kind)) return undefined;
  }
  return canEndAt(chain, end) ? end : undefined;
}

function lengthOf(group: DigitGroup | undefined): number {
  return group === undefined ? 0 : group.end - group.start;
}

function trunkPrefixedEnd(text: string, chain: DigitChain, from: number): number | undefined {
  const first = chain.groups[from] as DigitGroup;
  if (text[first.start] !== "0" || first.end - first.start < 2) return undefined;
  let digits = 0;
  let separator: string | undefined;
  let best: number | undefined;
  for (let index = from; index < chain.groups.length; index++) {
    const group = chain.groups[index] as DigitGroup;
    const length = group.end - group.start;
    if (length < 2 || length > 8) break;
    if (index > from) {
      if (isParenthesized(group)) break;
      if (index === from + 1 && isParenthesized(first)) {
        if (group.gap !== "" && group.gap !== " ") break;
      } else {
        if (group.gap === "" || (separator !== undefined && group.gap !== separator)) break;
        separator = group.gap;
      }
    }
    digits += length;
    if (digits > 12) break;
    if (index === from || digits < 9 || !canEndAt(chain, index)) continue;
    if (hasStrayParenthesis(chain, from, index)) continue;
    // `010.001.002.003` is a zero-padded IPv4 address.
    if (separator === "." && index - from === 3 && isIPv4Shaped(chain, from, index)) continue;
    best = index;
  }
  return best;
}

function isIPv4Shaped(chain: DigitChain, from: number, to: number): boolean {
  for (let index = from; index <= to; index++) {
    const group = chain.groups[index] as DigitGroup;
    if (group.end - group.start > 3) return false;
  }
  return true;
}

function isLabelledBareNumber(digits: string): boolean {
  if (digits.length < 7 || digits.length > MAX_E164_DIGITS + 2) return false;
  if (digits.startsWith("00")) return fitsCallingCode(digits.slice(2));
  if (digits.startsWith("0")) return digits.length >= 9 && digits.length <= 12;
  if (digits.length === 10 && digits.charCodeAt(0) >= 50) return true;
  if (digits.length === 11 && digits[0] === "1" && digits.charCodeAt(1) >= 50) return true;
  return isValidInternational(digits);
}

/**
 * A JSON number (or bigint) holding a phone number: an integer of 8–15 digits that is a valid
 * number once read with a "+" (442079460958 is +44 20 7946 0958). Epoch seconds and
 * milliseconds begin with "1", North America's code, whose numbers have exactly 11 digits, so
 * they survive, as do counts and amounts below 10^7. Under a phone-named key, a North American
 * national number (4155552671) counts too. Limits: an integer id that happens to be a valid
 * international number is scrubbed; fictional ranges (`+44 7700 900…`) are not valid, so they
 * survive as numbers.
 */
export function isPhoneInteger(value: number | bigint, labelled: boolean): boolean {
  if (typeof value === "number" && !Number.isSafeInteger(value)) return false;
  if (value <= 0) return false;
  const digits = value.toString();
  if (labelled && isLabelledBareNumber(digits)) return true;
  return digits.length >= 8 && digits.length <= MAX_E164_DIGITS && isValidInternational(digits);
}

// Looked for in at most the 32 characters before a bare run, back to the previous digit, so
// the cost per run is bounded and `Phone: 415-555-2671, order 6086499569` leaves the order alone.
// Not "number" alone: "order number", "item number" and "tracking number" precede ids more often.
// `(?<!<)`: the `<phone>` placeholder itself is no phone word, or redacting twice would scrub
// the bare number after an already scrubbed phone (`<phone> 4155552671` → `<phone> <phone>`).
const PHONE_WORD =
  /(?<!<)phone|telefon|tel[eé]fono|(?<!\p{L})(?:tel|tél|tlf|mob|mobile|cell|fax|call|sms|text|whatsapp|contact|dial|handy|(?:my|your|our|his|her|their) number|reach me)(?!\p{L})/iu;
const PHONE_WORD_REACH = 32;

export function hasPhoneWordBefore(text: string, position: number): boolean {
  const floor = Math.max(0, position - PHONE_WORD_REACH);
  let start = position;
  while (start > floor && !isDigitCode(text.charCodeAt(start - 1))) start--;
  return PHONE_WORD.test(text.slice(start, position));
}

// A key's words: `mobilePhone`, `cell_phone`, `fax`, `tel` (not `hotel`).
const PHONE_KEY = /phone|telefon|msisdn|whatsapp|(?:^|[^a-z])(?:tel|mobile|cell|fax|sms)(?:[^a-z]|$)/;

export function isPhoneKey(key: string): boolean {
  return PHONE_KEY.test(key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
}
