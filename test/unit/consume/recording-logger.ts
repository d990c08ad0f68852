import type { Logger } from "../../../src/consume/logger.js";

/** A logger that keeps what it was told, as `level namespace: message: error` lines. */
export class RecordingLogger implements Logger {
  constructor(
    readonly lines: string[] = [],
    private readonly name = "",
  ) {}

  namespace(name: string): Logger {
    return new RecordingLogger(this.lines, this.name === "" ? name : `${this.name}.${name}`);
  }

  error(message: string, error?: unknown): void {
    this.add("error", message, error);
  }

  warn(message: string, error?: unknown): void {
    this.add("warn", message, error);
  }

  info(message: string, error?: unknown): void {
    this.add("info", message, error);
  }

  debug(message: string, error?: unknown): void {
    this.add("debug", message, error);
  }

  /** The lines at one level. */
  at(level: "error" | "warn" | "info" | "debug"): string[] {
    return this.lines.filter((line) => line.startsWith(`${level} `));
  }

  private add(level: string, message: string, error: unknown): void {
    const reason = error === undefined ? "" : `: ${error instanceof Error ? error.message : String(error)}`;
    this.lines.push(`${level} ${this.name}: ${message}${reason}`);
  }
}
