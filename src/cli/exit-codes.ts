import type { ErrorCode } from "../contracts/errors.js";

/**
 * Exit codes are a contract with CI: 0 promote/ok, 1 fail/findings, 3 hold, 2 bad usage, 4 infra;
 * 143 (128 + SIGTERM) for a run stopped by a signal after writing what it had read.
 */
export const EXIT = { ok: 0, fail: 1, usage: 2, hold: 3, infrastructure: 4, interrupted: 143 } as const;

const INFRASTRUCTURE: ReadonlySet<ErrorCode> = new Set([
  "STORE_UNAVAILABLE",
  "STORE_QUERY_FAILED",
  "SOURCE_UNAVAILABLE",
  "PROVIDER_FAILED",
]);

export function exitCodeForError(code: ErrorCode): number {
  return INFRASTRUCTURE.has(code) ? EXIT.infrastructure : EXIT.usage;
}
