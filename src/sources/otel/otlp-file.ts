import type { ShadowdiffError } from "../../contracts/errors.js";
import { lineProblem, readLines } from "../jsonl-lines.js";
import { decodeJsonOtlp } from "./decode-json.js";
import { type IngestOutput, TraceIngest } from "./trace-ingest.js";
import type { TraceMapping } from "./trace-mapping.js";

export interface OtlpFileOptions {
  /** Lines after a trace's root span during which its late spans and logs still join. */
  readonly graceLines?: number;
  readonly maxTraces?: number;
  readonly maxSpans?: number;
  readonly mapping?: TraceMapping;
}

export type OtlpFileItem =
  | IngestOutput
  | {
      readonly kind: "invalid-line";
      readonly line: number;
      readonly error: ShadowdiffError;
      readonly text: string;
    };

/**
 * The OpenTelemetry Collector's file exporter output (OTLP JSON, one export request per line,
 * traces and logs alike) as exchange records. Time here is the line number: a trace is complete
 * `graceLines` lines after its root span, or idle 10× that after its last span, so the result
 * does not depend on how fast the file is read. Bounded as the live assembler is.
 */
export async function* readOtlpFile(
  path: string,
  options: OtlpFileOptions = {},
): AsyncGenerator<OtlpFileItem> {
  let lineNumber = 0;
  const grace = options.graceLines ?? 1_000;
  const ingest = new TraceIngest(
    {
      graceMs: grace,
      idleMs: grace * 10,
      maxTraces: options.maxTraces ?? 10_000,
      maxSpans: options.maxSpans ?? 1_000_000,
      now: () => lineNumber,
    },
    path,
    options.mapping,
  );
  for await (const line of readLines(path)) {
    lineNumber = line.number;
    const problem = lineProblem(line, path);
    if (problem !== undefined) {
      yield { kind: "invalid-line", line: line.number, error: problem, text: line.text };
      continue;
    }
    const decoded = decodeJsonOtlp(line.text, { source: path, line: line.number });
    if (!decoded.ok) {
      yield { kind: "invalid-line", line: line.number, error: decoded.error, text: line.text };
      continue;
    }
    for (const error of decoded.rejected)
      yield { kind: "invalid-line", line: line.number, error, text: line.text };
    yield* ingest.add(decoded.batch, { source: path, position: line.number });
    yield* ingest.due();
  }
  yield* ingest.flush();
}
