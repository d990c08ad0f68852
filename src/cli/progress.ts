import type { CliContext } from "./context.js";

/**
 * A one-line progress display on stderr, redrawn at most every 200 ms, and only on a terminal:
 * in CI logs and pipes it would be noise.
 */
export function progressReporter(
  context: CliContext,
  label: string,
): { update(text: string): void; done(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(text) {
      if (!context.interactive) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      drawn = true;
      context.stderr(`\r\x1b[2K${label} · ${text}`);
    },
    done() {
      if (drawn) context.stderr("\r\x1b[2K");
    },
  };
}
