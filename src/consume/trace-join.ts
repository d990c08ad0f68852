import { deadLetterHeaders } from "../contracts/dead-letter.js";
import type { ShadowdiffError } from "../contracts/errors.js";
import { type ExchangeRecord, pairKey, type ReleaseStamp } from "../contracts/exchange.js";
import type { PairRow, UnpairedRow } from "../contracts/pair-row.js";
import type { BatchOutput, DeadLetterMessage } from "../pairing/batch-output.js";
import { type PairBuilder, unpairedRow } from "../pairing/pair-builder.js";
import type { RawMessage } from "../pairing/recorded-batch.js";
import { decodeOtlp } from "../sources/otel/decode.js";
import type { IngestOutput, TraceIngest } from "../sources/otel/trace-ingest.js";
import { encodeRows } from "../store/tab-separated.js";
import type { TopicOffset } from "./consumer-port.js";
import type { JoinSide } from "./join-buffer.js";
import { TraceHolds } from "./trace-holds.js";

export interface TraceJoinSettings {
  /** The one topic both releases' traces arrive on. */
  readonly topic: string;
  /** Records of this release (its id, name, or name@version) are the baseline; all others candidates. */
  readonly baselineRelease: string;
  /** How long an assembled record waits for its partner before it counts as unpaired (ms). */
  readonly windowMs: number;
}

interface WaitingRecord {
  readonly side: JoinSide;
  readonly record: ExchangeRecord;
  readonly text: string;
  /** Its hold in TraceHolds: the commit may not pass its messages while it waits. */
  readonly unit: string;
  readonly arrivedAt: number;
}

/** The header naming the trace a dead letter came from (a trace has no one offset). */
export const TRACE_ID_HEADER = "shadowdiff-trace-id";

/**
 * Pair-join over OTLP traces on one topic, shared by its handler (which offers messages and
 * collects what completed) and its offset policy (which commits what TraceHolds allows). Each
 * message is decoded and its spans go to the assembler; a trace whose grace window passed becomes
 * a record, which the release stamp puts on the baseline or candidate side, and which meets its
 * partner by pair key as in pair-join. Every output remembers the holds it lets go once stored.
 */
export class TraceJoin {
  private readonly holds = new TraceHolds();
  private readonly waiting = new Map<string, WaitingRecord>();
  /** Traces the assembler evicted while messages were offered, for the next collect. */
  private readonly evicted: IngestOutput[] = [];
  private readonly unitsOf = new WeakMap<BatchOutput, readonly string[]>();
  private lastCandidateRelease: string | undefined;

  constructor(
    private readonly settings: TraceJoinSettings,
    private readonly ingest: TraceIngest,
    private readonly builder: PairBuilder,
  ) {}

  /** Records waiting for their partner, and traces still assembling (held spans). */
  get held(): { readonly records: number; readonly traces: number } {
    return { records: this.waiting.size, traces: this.ingest.assembler.traces };
  }

  /**
   * Decodes one message and hands its spans to the assembler. A message that cannot be read, or
   * spans in it that cannot be used (no trace or span id), give a dead letter naming where; the
   * usable spans of the message still count.
   */
  offer(message: RawMessage, partition: number): DeadLetterMessage[] {
    const origin = { source: `kafka:${this.settings.topic}/${partition}`, line: Number(message.offset) };
    const decoded = decodeOtlp(message.value ?? new Uint8Array(), "traces", origin);
    if (!decoded.ok) return [this.messageLetter(message, partition, decoded.error)];
    const offset = BigInt(message.offset);
    for (const span of decoded.batch.spans) this.holds.touch(span.traceId, partition, offset);
    for (const log of decoded.batch.logs) this.holds.touch(log.traceId, partition, offset);
    this.evicted.push(...this.ingest.add(decoded.batch));
    const [first, ...more] = decoded.rejected;
    if (first === undefined) return [];
    const letter = this.messageLetter(message, partition, first);
    return [
      { ...letter, headers: { ...letter.headers, "shadowdiff-rejected-spans": String(more.length + 1) } },
    ];
  }

  /**
   * What completed by `now`: evicted and finished traces (pairs as partners meet, dead letters
   * for traces that make no record) and records whose window passed (unpaired), with `letters`
   * (the batch's undecodable messages) in the same output.
   */
  collect(now: number, version: number, letters: readonly DeadLetterMessage[] = []): BatchOutput {
    const pairs: PairRow[] = [];
    const unpaired: UnpairedRow[] = [];
    const deadLetters = [...letters];
    const units: string[] = [];
    for (const out of [...this.evicted.splice(0), ...this.ingest.due()]) {
      const unit = this.holds.detach(out.traceId);
      if (out.kind === "dead-letter") {
        deadLetters.push(this.traceLetter(out.traceId, unit, out.error, out.text));
        units.push(unit);
        continue;
      }
      const entry = this.waitingRecord(out.record, unit, now);
      const key = pairKey(out.record);
      const other = this.waiting.get(key);
      if (other !== undefined && other.side !== entry.side) {
        this.waiting.delete(key);
        const [baseline, candidate] = entry.side === "baseline" ? [entry, other] : [other, entry];
        pairs.push(
          this.builder.build(baseline.record, candidate.record, version, {
            baseline: baseline.text,
            candidate: candidate.text,
          }),
        );
        units.push(this.holds.merge([baseline.unit, candidate.unit]));
      } else if (other !== undefined) {
        // The same side again (a re-sent trace): the newer replaces it and holds both reads.
        this.waiting.set(key, { ...entry, unit: this.holds.merge([other.unit, unit]) });
      } else this.waiting.set(key, entry);
    }
    for (const [key, entry] of this.waiting) {
      if (now - entry.arrivedAt < this.settings.windowMs) continue;
      this.waiting.delete(key);
      unpaired.push(this.unpairedRow(entry, version));
      units.push(entry.unit);
    }
    const output: BatchOutput = {
      pairs: encodeRows(pairs),
      unpaired,
      releases: this.builder.newReleases(version),
      deadLetters,
    };
    this.unitsOf.set(output, units);
    return output;
  }

  /** The store acknowledged `output`: what it held may be committed past (TraceHolds decides). */
  stored(output: BatchOutput): void {
    this.holds.stored(this.unitsOf.get(output) ?? []);
  }

  /** What may be committed, given the next offset past what was acknowledged on each partition. */
  commitOffsets(acknowledged: ReadonlyMap<number, bigint>): TopicOffset[] {
    const points = this.holds.commitPoints(acknowledged);
    return [...points]
      .sort(([a], [b]) => a - b)
      .map(([partition, offset]) => ({ topic: this.settings.topic, partition, offset: offset.toString() }));
  }

  private waitingRecord(record: ExchangeRecord, unit: string, now: number): WaitingRecord {
    const side = releaseMatches(record.release, this.settings.baselineRelease) ? "baseline" : "candidate";
    if (side === "candidate") this.lastCandidateRelease = record.release.id;
    return { side, record, text: JSON.stringify(record), unit, arrivedAt: now };
  }

  private unpairedRow(entry: WaitingRecord, version: number): UnpairedRow {
    const candidateRelease =
      entry.side === "candidate"
        ? entry.record.release.id
        : (this.lastCandidateRelease ?? `unknown:${this.settings.topic}`);
    return unpairedRow(entry.record, entry.side, candidateRelease, version);
  }

  private messageLetter(message: RawMessage, partition: number, error: ShadowdiffError): DeadLetterMessage {
    const position = { topic: this.settings.topic, partition, offset: message.offset };
    return { key: message.key, value: message.value, headers: deadLetterHeaders(error, position) };
  }

  /** A trace that makes no record: named by its trace id and the first message that held it. */
  private traceLetter(
    traceId: string,
    unit: string,
    error: ShadowdiffError,
    text: string,
  ): DeadLetterMessage {
    const origin = this.holds.origin(unit);
    const position = {
      topic: this.settings.topic,
      partition: origin?.partition ?? -1,
      offset: origin?.offset.toString() ?? "",
    };
    return {
      key: Buffer.from(traceId),
      value: Buffer.from(text),
      headers: { ...deadLetterHeaders(error, position), [TRACE_ID_HEADER]: traceId },
    };
  }
}

/** `spec` names the release by its id, its name, or `name@version`. */
export function releaseMatches(release: ReleaseStamp, spec: string): boolean {
  return (
    release.id === spec ||
    release.name === spec ||
    (release.name !== undefined && `${release.name}@${release.version ?? ""}` === spec)
  );
}
