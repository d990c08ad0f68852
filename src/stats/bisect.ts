/**
 * Where a monotone condition stops holding, to the resolution of doubles.
 *
 * Every bound in this folder is the edge of a set ("the p not rejected", "the R the data allow"),
 * and the tail functions that define those sets are steep but not smooth enough to trust a Newton
 * step near 1e-300. Bisection only needs the condition to be monotone and cannot fail to converge.
 * It halves the number of doubles in the bracket rather than its length: doubles ordered by value
 * are ordered by their bit patterns (with the sign handled below), so the midpoint is taken between
 * the two patterns. A root near 1e-13 in [0, 1] or near 1e-300 then costs no more than one near ½,
 * and any finite bracket takes at most 64 evaluations (plain halving of the length needs about
 * 1 050 steps to reach 1e-300 from [0, 1]).
 */

/**
 * Bisects between `inside`, where `isInside` holds, and `outside`, where it does not, until the
 * two are adjacent doubles, and returns the outside one. For a confidence bound the outside end is
 * the wide side: the bound errs by at most one unit in the last place, never towards excluding a
 * value the condition admits.
 */
export function bisectEdge(isInside: (x: number) => boolean, inside: number, outside: number): number {
  if (!(Number.isFinite(inside) && Number.isFinite(outside))) {
    throw new RangeError(`bisectEdge needs a finite bracket, got [${inside}, ${outside}]`);
  }
  let inner = orderKey(inside);
  let outer = orderKey(outside);
  for (;;) {
    const middle = (inner + outer) / 2n;
    if (middle === inner || middle === outer) return fromOrderKey(outer);
    if (isInside(fromOrderKey(middle))) inner = middle;
    else outer = middle;
  }
}

/**
 * `bisectEdge` over a bracket narrowed around a guess of the edge: the same answer (the edge of a
 * monotone condition is one pair of adjacent doubles, whatever bracket holds it) in far fewer
 * evaluations when the guess is good. Windows of 2^-40, 2^-20 and 1 times the guess's magnitude are
 * tried on each side, each checked with two evaluations; the first that holds the edge is
 * bisected, and a guess that is off (or not finite) falls back to the full bracket.
 */
export function bisectEdgeNear(
  isInside: (x: number) => boolean,
  inside: number,
  outside: number,
  guess: number,
): number {
  if (Number.isFinite(guess)) {
    const toward = outside > inside ? 1 : -1;
    const within = (x: number) =>
      toward > 0 ? Math.min(outside, Math.max(inside, x)) : Math.max(outside, Math.min(inside, x));
    for (const scale of [2 ** -40, 2 ** -20, 1]) {
      const width = Math.max(Math.abs(guess), Number.MIN_VALUE * 2 ** 60) * scale;
      const near = within(guess - toward * width);
      const far = within(guess + toward * width);
      if ((near === inside || isInside(near)) && far !== near && (far === outside || !isInside(far)))
        return bisectEdge(isInside, near, far);
    }
  }
  return bisectEdge(isInside, inside, outside);
}

const bits = new BigUint64Array(1);
const asDouble = new Float64Array(bits.buffer);
const SIGN_BIT = 1n << 63n;
const ALL_BITS = (1n << 64n) - 1n;

/**
 * A 64-bit integer that orders doubles as their values do: a positive double's pattern with the
 * sign bit set (above every negative one), a negative double's pattern inverted (a larger
 * magnitude gives a smaller key).
 */
function orderKey(value: number): bigint {
  asDouble[0] = value;
  const pattern = bits[0] as bigint;
  return (pattern & SIGN_BIT) === 0n ? pattern | SIGN_BIT : ~pattern & ALL_BITS;
}

function fromOrderKey(key: bigint): number {
  bits[0] = (key & SIGN_BIT) === 0n ? ~key & ALL_BITS : key ^ SIGN_BIT;
  return asDouble[0] as number;
}

/**
 * The smallest integer in [from, to] where `condition` holds, for a condition that is false up to
 * some point and true after it; null if it holds nowhere. About log₂(to − from) evaluations.
 */
export function firstInteger(condition: (k: number) => boolean, from: number, to: number): number | null {
  let no = from - 1;
  let yes = to + 1;
  while (yes - no > 1) {
    const middle = no + Math.floor((yes - no) / 2);
    if (condition(middle)) yes = middle;
    else no = middle;
  }
  return yes <= to ? yes : null;
}

/** The largest integer in [from, to] where a condition true up to some point and false after it holds; null if none. */
export function lastInteger(condition: (k: number) => boolean, from: number, to: number): number | null {
  let yes = from - 1;
  let no = to + 1;
  while (no - yes > 1) {
    const middle = yes + Math.floor((no - yes) / 2);
    if (condition(middle)) yes = middle;
    else no = middle;
  }
  return yes >= from ? yes : null;
}
