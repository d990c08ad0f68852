/**
 * Argument checks shared by the bounds in this folder. A gate computes them from counts that came
 * through several stages of arithmetic; a NaN or a level of 5 (meant as 5%) must fail loudly, with
 * the argument's name and value, instead of producing a bound that looks plausible.
 */

/** A significance level (a one-sided error probability): strictly between 0 and 1. */
export function assertLevel(name: string, value: number): void {
  if (!(value > 0 && value < 1)) {
    throw new RangeError(`${name} must be strictly between 0 and 1 (e.g. 0.05), got ${value}`);
  }
}

export function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/** A count out of a number of trials, both non-negative integers, count <= trials. */
export function assertSuccesses(
  successes: number,
  trials: number,
  successesName = "successes",
  trialsName = "trials",
): void {
  if (!Number.isSafeInteger(trials) || trials < 0) {
    throw new RangeError(`${trialsName} must be a non-negative integer count, got ${trials}`);
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(
      `${successesName} must be an integer in [0, ${trialsName} = ${trials}], got ${successes}`,
    );
  }
}
