const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDayPrefix = "";

/**
 * `new Date(ms).toISOString()` for a whole number of milliseconds at or after 1970, built from
 * the day's `YYYY-MM-DDT` (formatted once per day) and the time of day (JS time has no leap
 * seconds, so it is plain arithmetic). The Date round trip was the mapping's costliest line in
 * bench/otel (a sixth of traceToRecord's own time).
 */
export function isoTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    // "2023-11-14T00:00:00.000Z" minus its last 13 characters; extended years keep the same tail.
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, -13);
    cachedDay = day;
  }
  let rest = ms - day * DAY_MS;
  const milliseconds = rest % 1000;
  rest = (rest - milliseconds) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${cachedDayPrefix}${two(hours)}:${two(minutes)}:${two(seconds)}.${milliseconds < 10 ? "00" : milliseconds < 100 ? "0" : ""}${milliseconds}Z`;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}
