import {
  type CountryCallingCode,
  getCountries,
  getCountryCallingCode,
  Metadata,
  parsePhoneNumberFromString,
} from "libphonenumber-js/max";

/**
 * What libphonenumber-js knows about international numbers (the digits after "+"), asked in two
 * steps. A parse costs ~10 µs, so a megabyte of "+"-prefixed digit groups would take seconds; the
 * table of calling codes and national lengths, built once from the library's metadata, answers
 * most questions in a map lookup, and a parse is left for choosing between windows that both fit.
 */
const nationalLengths = buildNationalLengths();

function buildNationalLengths(): Map<CountryCallingCode, Set<number>> {
  const metadata = new Metadata();
  const lengths = new Map<CountryCallingCode, Set<number>>();
  for (const country of getCountries()) {
    const code = getCountryCallingCode(country);
    metadata.selectNumberingPlan(country);
    const known = lengths.get(code) ?? new Set<number>();
    for (const length of metadata.numberingPlan?.possibleLengths() ?? []) known.add(length);
    lengths.set(code, known);
  }
  return lengths;
}

// Calling codes of no country (international freephone, satellite, networks): not in the table
// above, so the parser decides.
const NON_GEOGRAPHIC = new Set(["800", "808", "870", "878", "881", "882", "883", "888", "979"]);

/**
 * True when `digits` begin with a calling code and the rest has a length that code's countries
 * use, also after a trunk "0" written where it is not dialled (`+44 020 …`). Calling codes are
 * prefix-free, so the first of 1–3 leading digits that is one is the one.
 */
export function fitsCallingCode(digits: string): boolean {
  for (let size = 1; size <= 3; size++) {
    const code = digits.slice(0, size);
    const lengths = nationalLengths.get(code);
    if (lengths !== undefined) {
      const national = digits.length - size;
      return lengths.has(national) || (digits[size] === "0" && lengths.has(national - 1));
    }
    if (NON_GEOGRAPHIC.has(code)) return internationalVerdict(digits) !== "invalid";
  }
  return false;
}

export type Verdict = "valid" | "possible" | "invalid";

// Texts repeat their numbers (the same system prompt in every record). Bounded, so hostile input
// cannot grow it.
const verdicts = new Map<string, Verdict>();
const MAX_CACHED_VERDICTS = 4096;

/** The parser's verdict on `+digits`: a valid number, one of a possible length, or neither. */
export function internationalVerdict(digits: string): Verdict {
  const cached = verdicts.get(digits);
  if (cached !== undefined) return cached;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  const verdict: Verdict =
    parsed === undefined
      ? "invalid"
      : parsed.isValid()
        ? "valid"
        : parsed.isPossible()
          ? "possible"
          : "invalid";
  if (verdicts.size >= MAX_CACHED_VERDICTS) verdicts.clear();
  verdicts.set(digits, verdict);
  return verdict;
}

/** A valid international number once read with a "+": checked by the table first, then parsed. */
export function isValidInternational(digits: string): boolean {
  return fitsCallingCode(digits) && internationalVerdict(digits) === "valid";
}
