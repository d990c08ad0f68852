import type { ShadowdiffError } from "./errors.js";

/**
 * One rejected input, with everything needed to find and fix it. One concept, two encodings:
 * a JSON line of this shape in a dead-letter file (`run`, `collect`), and on a dead-letter topic
 * the record's own key and value with `deadLetterHeaders` (`consume`).
 */
export interface DeadLetter {
  readonly source: string;
  readonly line?: number;
  readonly record_id?: string;
  readonly path?: string;
  readonly code: string;
  readonly reason: string;
  /** The rejected input exactly as received. */
  readonly text: string;
}

export function deadLetterOf(error: ShadowdiffError, text: string): DeadLetter {
  const context = error.context;
  return {
    source: context.source ?? "",
    ...(context.line === undefined ? {} : { line: context.line }),
    ...(context.recordId === undefined ? {} : { record_id: context.recordId }),
    ...(context.path === undefined ? {} : { path: context.path }),
    code: error.code,
    reason: error.message,
    text,
  };
}

/** Where a rejected Kafka record was read. */
export interface TopicPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** The headers of a dead-letter topic message: the reason, and where the record was read. */
export function deadLetterHeaders(error: ShadowdiffError, position: TopicPosition): Record<string, string> {
  return {
    "shadowdiff-error-code": error.code,
    "shadowdiff-error-reason": error.message,
    "shadowdiff-error-path": error.context.path ?? "",
    "shadowdiff-source-topic": position.topic,
    "shadowdiff-source-partition": String(position.partition),
    "shadowdiff-source-offset": position.offset,
  };
}
