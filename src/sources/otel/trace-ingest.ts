import { describeLocation, ShadowdiffError } from "../../contracts/errors.js";
import type { ExchangeRecord } from "../../contracts/exchange.js";
import {
  type AssembledTrace,
  type AssemblerOptions,
  type SourcePosition,
  TraceAssembler,
} from "./assembler.js";
import type { OtlpBatch } from "./span.js";
import { DEFAULT_TRACE_MAPPING, type TraceMapping } from "./trace-mapping.js";
import { traceToRecord } from "./trace-to-record.js";

export type IngestOutput =
  | { readonly kind: "record"; readonly traceId: string; readonly record: ExchangeRecord }
  | {
      readonly kind: "dead-letter";
      readonly traceId: string;
      readonly error: ShadowdiffError;
      /** What the trace held (span ids and names), since a trace has no one input text. */
      readonly text: string;
    };

/**
 * Decoded OTLP batches in, exchange records and dead letters out: the assembler and the mapping
 * together, shared by `run --source otlp:`, `collect` and (later) the Kafka consumer. Pure.
 */
export class TraceIngest {
  readonly assembler: TraceAssembler;

  constructor(
    options: AssemblerOptions,
    private readonly source: string,
    private readonly mapping: TraceMapping = DEFAULT_TRACE_MAPPING,
  ) {
    this.assembler = new TraceAssembler(options);
  }

  add(batch: OtlpBatch, position?: SourcePosition): IngestOutput[] {
    return this.outputs(this.assembler.add(batch, position));
  }

  due(): IngestOutput[] {
    return this.outputs(this.assembler.due());
  }

  flush(): IngestOutput[] {
    return this.outputs(this.assembler.flush());
  }

  private outputs(traces: readonly AssembledTrace[]): IngestOutput[] {
    const outputs: IngestOutput[] = [];
    for (const trace of traces) outputs.push(this.output(trace));
    return outputs;
  }

  private output(trace: AssembledTrace): IngestOutput {
    if (trace.reason === "evicted") {
      const context = { source: this.source, recordId: trace.traceId, path: `trace/${trace.traceId}` };
      const error = new ShadowdiffError(
        "UNUSABLE_TRACE",
        `${describeLocation(context)}: trace ${trace.traceId} evicted unfinished (${trace.spans.length} spans held): the trace buffer was full; raise --max-traces / --max-spans or lower --grace`,
        { context },
      );
      return { kind: "dead-letter", traceId: trace.traceId, error, text: summary(trace) };
    }
    const mapped = traceToRecord(trace, this.source, this.mapping);
    return mapped.ok
      ? { kind: "record", traceId: trace.traceId, record: mapped.record }
      : { kind: "dead-letter", traceId: trace.traceId, error: mapped.error, text: summary(trace) };
  }
}

/** What a dead trace held; written only for dead letters (a tenth of the mapping's cost otherwise). */
function summary(trace: AssembledTrace): string {
  return JSON.stringify({
    trace_id: trace.traceId,
    spans: trace.spans.map((span) => ({ span_id: span.spanId, parent: span.parentSpanId, name: span.name })),
    logs: trace.logs.length,
  });
}
