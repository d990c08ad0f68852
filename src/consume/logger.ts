/** How much a consumer says: `warn` (the default) shows every failure it survives. */
export type LogLevel = "error" | "warn" | "info" | "debug";

export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

/**
 * The consumer's logger port, as kafkajs's: `namespace("Runner")` names the part that speaks.
 * Every failure the consumer survives (a commit that failed, a heartbeat that did not reach the
 * group, a disconnect that threw) is logged at `warn`, never swallowed without a trace.
 */
export interface Logger {
  namespace(name: string): Logger;
  error(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  info(message: string, error?: unknown): void;
  debug(message: string, error?: unknown): void;
}

/**
 * A logger writing one line an entry, `<prefix>: <level> <namespace>: <message>: <error>`, for
 * entries at `level` or more severe.
 */
export function lineLogger(write: (line: string) => void, level: LogLevel, prefix: string): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const make = (namespace: string): Logger => {
    const log =
      (entryLevel: LogLevel) =>
      (message: string, error?: unknown): void => {
        if (LOG_LEVELS.indexOf(entryLevel) > threshold) return;
        const reason = error === undefined ? "" : `: ${describeError(error)}`;
        const where = namespace === "" ? "" : ` ${namespace}`;
        write(`${prefix}: ${entryLevel}${where}: ${message}${reason}\n`);
      };
    return {
      namespace: (name) => make(namespace === "" ? name : `${namespace}.${name}`),
      error: log("error"),
      warn: log("warn"),
      info: log("info"),
      debug: log("debug"),
    };
  };
  return make("");
}

/** Says nothing (a library caller that gave no logger). */
export const silentLogger: Logger = {
  namespace: () => silentLogger,
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
};

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
