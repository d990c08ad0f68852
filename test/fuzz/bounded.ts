import fc from "fast-check";

/** Report kept readable in a CI log: a counterexample may hold a string of megabytes. */
const REPORT_LIMIT = 4_000;

/**
 * A property that has not finished by then fails: the time bound of the whole property, and a
 * cap on shrinking, which reports the counterexample shrunk so far instead of running into
 * vitest's test timeout with nothing to show. Every property here takes under 3 s.
 */
const PROPERTY_LIMIT_MS = 20_000;

/**
 * Each property runs a fixed number of cases from a fixed seed, so a CI run is reproducible and
 * its time bounded (PROPERTY_LIMIT_MS); a failure reports the seed and the path of the failing
 * case (enough to replay it with `seed` and `path`) with the counterexample, cut to REPORT_LIMIT
 * characters. The seeds are arbitrary, one per property so that properties do not share cases.
 */
export function runs<T>(
  seed: number,
  numRuns: number,
  extra: Partial<fc.Parameters<T>> = {},
): fc.Parameters<T> {
  return {
    seed,
    numRuns,
    interruptAfterTimeLimit: PROPERTY_LIMIT_MS,
    markInterruptAsFailure: true,
    reporter: (details) => {
      if (!details.failed) return;
      const message = fc.defaultReportMessage(details) ?? "property failed";
      const shown =
        message.length <= REPORT_LIMIT
          ? message
          : `${message.slice(0, REPORT_LIMIT)}… (${message.length - REPORT_LIMIT} characters more)`;
      throw new Error(shown, { cause: details.errorInstance });
    },
    ...extra,
  };
}

/**
 * "No hang" for a synchronous call: it must return within `limitMs`. A call cannot be
 * interrupted in its own thread, so the bound is checked when it returns; the sizes generated
 * are such that anything worse than about linear time blows through it.
 */
export function timed<T>(what: string, limitMs: number, run: () => T): T {
  const start = performance.now();
  const result = run();
  const elapsed = performance.now() - start;
  if (elapsed > limitMs)
    throw new Error(`${what} took ${elapsed.toFixed(0)} ms, over its ${limitMs} ms bound`);
  return result;
}

/** "No hang" for an asynchronous call: it settles within `limitMs` or the case fails. */
export async function settlesWithin<T>(what: string, limitMs: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Levels of nesting of a parsed JSON value (a scalar is 0, `{}` is 1), walked without recursion.
 * Counted on the value JSON.parse built, so it does not share the text scan it checks.
 */
export function valueDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, above] = entry;
    if (node === null || typeof node !== "object") continue;
    deepest = Math.max(deepest, above + 1);
    for (const child of Object.values(node)) stack.push([child, above + 1]);
  }
  return deepest;
}
