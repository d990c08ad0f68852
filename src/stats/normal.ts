/**
 * The standard normal distribution.
 *
 * The CDF is W. J. Cody's rational Chebyshev approximation (Math. Comp. 1969; the ANORM routine
 * of SPECFUN, ACM TOMS 715, 1993), which is good to about 1e-16 relative in both tails. Both tails
 * are computed directly, so an upper tail of 1e-12 is not the rounding residue of 1 - cdf.
 * The quantile is Wichura's AS 241 (Applied Statistics 37, 1988), good to about 1e-16 relative.
 * The published coefficients are written as the doubles they round to.
 */

/** |z| <= 0.67448975 (the quartile): P(Z <= z) - 1/2 = z · A(z²) / B(z²). */
const CENTRAL_NUMERATOR = [
  2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745,
] as const;
const CENTRAL_DENOMINATOR = [
  47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673,
] as const;

/** 0.674 < |z| <= √32: tail = e^(−z²/2) · C(|z|) / D(|z|). */
const MIDDLE_NUMERATOR = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726,
  6848.190450536283, 11602.65143764735, 9842.714838383978, 1.0765576773720192e-8,
] as const;
const MIDDLE_DENOMINATOR = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097,
  34900.95272114598, 38912.00328609327, 19685.429676859992,
] as const;

/** |z| > √32: tail = e^(−z²/2) / |z| · (1/√(2π) − w · P(w) / Q(w)) with w = 1/z². */
const FAR_NUMERATOR = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934, 2.9112874951168793e-5,
  0.023073441764940174,
] as const;
const FAR_DENOMINATOR = [
  1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 0.00007297515550839662,
] as const;

const QUARTILE = 0.67448975;
const SQRT_32 = Math.sqrt(32);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** P(Z <= z). */
export function normalCdf(z: number): number {
  return normalTails(z).lower;
}

/** P(Z > z), computed directly so that it does not lose digits to 1 - normalCdf(z). */
export function normalSurvival(z: number): number {
  return normalTails(z).upper;
}

function normalTails(z: number): { lower: number; upper: number } {
  if (Number.isNaN(z)) return { lower: Number.NaN, upper: Number.NaN };
  if (z === Number.POSITIVE_INFINITY) return { lower: 1, upper: 0 };
  if (z === Number.NEGATIVE_INFINITY) return { lower: 0, upper: 1 };
  const size = Math.abs(z);
  if (size <= QUARTILE) {
    const square = z * z;
    const [a0, a1, a2, a3, a4] = CENTRAL_NUMERATOR;
    const [b0, b1, b2, b3] = CENTRAL_DENOMINATOR;
    const numerator = (((a4 * square + a0) * square + a1) * square + a2) * square + a3;
    const denominator = (((square + b0) * square + b1) * square + b2) * square + b3;
    const offset = (z * numerator) / denominator;
    return { lower: 0.5 + offset, upper: 0.5 - offset };
  }
  const smallTail = gaussianFactor(size) * (size <= SQRT_32 ? middleRatio(size) : farRatio(size));
  return z > 0 ? { lower: 1 - smallTail, upper: smallTail } : { lower: smallTail, upper: 1 - smallTail };
}

function middleRatio(size: number): number {
  let numerator = (MIDDLE_NUMERATOR[8] as number) * size;
  let denominator = size;
  for (let index = 0; index < 7; index++) {
    numerator = (numerator + (MIDDLE_NUMERATOR[index] as number)) * size;
    denominator = (denominator + (MIDDLE_DENOMINATOR[index] as number)) * size;
  }
  return (numerator + MIDDLE_NUMERATOR[7]) / (denominator + MIDDLE_DENOMINATOR[7]);
}

function farRatio(size: number): number {
  const w = 1 / (size * size);
  let numerator = (FAR_NUMERATOR[5] as number) * w;
  let denominator = w;
  for (let index = 0; index < 4; index++) {
    numerator = (numerator + (FAR_NUMERATOR[index] as number)) * w;
    denominator = (denominator + (FAR_DENOMINATOR[index] as number)) * w;
  }
  const correction = (w * (numerator + FAR_NUMERATOR[4])) / (denominator + FAR_DENOMINATOR[4]);
  return (INV_SQRT_2PI - correction) / size;
}

/**
 * e^(−z²/2) without the rounding error of z² (which is multiplied by z²/2 in the exponent): split
 * z into a part with 4 fractional bits, whose square is exact, and the small remainder.
 */
function gaussianFactor(size: number): number {
  const coarse = Math.trunc(size * 16) / 16;
  const remainder = (size - coarse) * (size + coarse);
  return Math.exp(-coarse * coarse * 0.5) * Math.exp(-remainder * 0.5);
}

/** AS 241, |p − 1/2| <= 0.425: z = q · A(r) / B(r) with r = 0.180625 − q². */
const AS241_CENTRAL_NUMERATOR = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
] as const;
const AS241_CENTRAL_DENOMINATOR = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
] as const;
/** AS 241 tails with r = √(−ln(min(p, 1−p))) <= 5, evaluated at r − 1.6. */
const AS241_NEAR_NUMERATOR = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
] as const;
const AS241_NEAR_DENOMINATOR = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
] as const;
/** AS 241 far tails, r > 5 (p below about 1.4e-11), evaluated at r − 5. */
const AS241_FAR_NUMERATOR = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
] as const;
const AS241_FAR_DENOMINATOR = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
] as const;

/** The z with P(Z <= z) = p; −∞ at 0 and +∞ at 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(AS241_CENTRAL_NUMERATOR, r)) / polynomial(AS241_CENTRAL_DENOMINATOR, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const size =
    r <= 5
      ? polynomial(AS241_NEAR_NUMERATOR, r - 1.6) / polynomial(AS241_NEAR_DENOMINATOR, r - 1.6)
      : polynomial(AS241_FAR_NUMERATOR, r - 5) / polynomial(AS241_FAR_DENOMINATOR, r - 5);
  return q < 0 ? -size : size;
}

/** Σ coefficients[i] · x^i by Horner's rule. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (let index = coefficients.length - 1; index >= 0; index--) {
    sum = sum * x + (coefficients[index] as number);
  }
  return sum;
}
