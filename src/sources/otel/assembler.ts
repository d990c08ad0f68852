import type { OtelLogRecord, OtelSpan, OtlpBatch } from "./span.js";

/** Where a batch came from, for commit discipline: a partition and its offset, a file and its line. */
export interface SourcePosition {
  readonly source: string;
  readonly position: number;
}

export type AssembledReason =
  /** The root span arrived and the grace window passed. */
  | "complete"
  /** No root span, but nothing arrived for the idle window: handed over as it is. */
  | "idle"
  /** The buffer was full: the oldest trace leaves unfinished (a dead letter, with this reason). */
  | "evicted"
  /** Shutdown: everything held is handed over. */
  | "flushed";

export interface AssembledTrace {
  readonly traceId: string;
  readonly spans: readonly OtelSpan[];
  readonly logs: readonly OtelLogRecord[];
  readonly reason: AssembledReason;
}

export interface AssemblerOptions {
  /** Time after the root span arrives during which late spans and logs still join (ms). */
  readonly graceMs: number;
  /** A trace whose root never comes is handed over this long after its last span (ms). */
  readonly idleMs: number;
  readonly maxTraces: number;
  readonly maxSpans: number;
  /** Injected clock (ms), so tests drive time. */
  readonly now: () => number;
}

interface HeldTrace {
  readonly traceId: string;
  readonly spans: OtelSpan[];
  readonly logs: OtelLogRecord[];
  /** When the trace's root arrived, or undefined while it has not. */
  rootAt: number | undefined;
  lastAt: number;
  /** The lowest position per source that holds a part of this trace; made on the first position. */
  lowest: Map<string, number> | undefined;
}

/**
 * Spans of one trace arrive in several export requests (one per batch of the SDK's processor,
 * spread over Kafka partitions). The assembler holds them by trace id until the trace's root
 * span (no parent) has arrived plus a grace window (OTLP exports only ended spans, so arrival
 * means ended), or until it has been idle. It is bounded: past `maxTraces` traces or `maxSpans`
 * spans the oldest trace is evicted. `lowestHeldPosition` tells a consumer what it may commit:
 * only positions below the oldest part of a trace still held, so a crash re-reads and rebuilds it.
 * Pure: no timers, no I/O; the caller asks `due()` when it wants.
 */
export class TraceAssembler {
  private readonly held = new Map<string, HeldTrace>();
  private spanCount = 0;

  constructor(private readonly options: AssemblerOptions) {}

  get traces(): number {
    return this.held.size;
  }

  get spans(): number {
    return this.spanCount;
  }

  /** Adds a batch; returns the traces evicted to make room (oldest first). */
  add(batch: OtlpBatch, position?: SourcePosition): AssembledTrace[] {
    const now = this.options.now();
    for (const span of batch.spans) {
      const trace = this.traceFor(span.traceId, now, position);
      trace.spans.push(span);
      this.spanCount++;
      if (span.parentSpanId === null && trace.rootAt === undefined) trace.rootAt = now;
    }
    for (const log of batch.logs) this.traceFor(log.traceId, now, position).logs.push(log);
    const evicted: AssembledTrace[] = [];
    while (this.held.size > this.options.maxTraces || this.spanCount > this.options.maxSpans) {
      const oldest = this.held.values().next().value;
      if (oldest === undefined) break;
      evicted.push(this.release(oldest, "evicted"));
    }
    return evicted;
  }

  /** Traces whose grace (or idle) window has passed, in arrival order. */
  due(): AssembledTrace[] {
    const now = this.options.now();
    const ready: AssembledTrace[] = [];
    for (const trace of this.held.values()) {
      if (trace.rootAt !== undefined && now - trace.rootAt >= this.options.graceMs)
        ready.push(this.release(trace, "complete"));
      else if (now - trace.lastAt >= this.options.idleMs) ready.push(this.release(trace, "idle"));
    }
    return ready;
  }

  /** Everything held, for a graceful shutdown. */
  flush(): AssembledTrace[] {
    return [...this.held.values()].map((trace) => this.release(trace, "flushed"));
  }

  /**
   * The lowest position of `source` that a held trace still needs, or undefined when none does:
   * a consumer commits only below it.
   */
  lowestHeldPosition(source: string): number | undefined {
    let lowest: number | undefined;
    for (const trace of this.held.values()) {
      const position = trace.lowest?.get(source);
      if (position !== undefined && (lowest === undefined || position < lowest)) lowest = position;
    }
    return lowest;
  }

  private traceFor(traceId: string, now: number, position: SourcePosition | undefined): HeldTrace {
    let trace = this.held.get(traceId);
    if (trace === undefined) {
      trace = { traceId, spans: [], logs: [], rootAt: undefined, lastAt: now, lowest: undefined };
      this.held.set(traceId, trace);
    } else {
      trace.lastAt = now;
    }
    if (position !== undefined) {
      trace.lowest ??= new Map();
      const known = trace.lowest.get(position.source);
      if (known === undefined || position.position < known)
        trace.lowest.set(position.source, position.position);
    }
    return trace;
  }

  private release(trace: HeldTrace, reason: AssembledReason): AssembledTrace {
    this.held.delete(trace.traceId);
    this.spanCount -= trace.spans.length;
    return { traceId: trace.traceId, spans: trace.spans, logs: trace.logs, reason };
  }
}
