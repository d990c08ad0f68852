import { createHash } from "node:crypto";
import stableStringify from "fast-json-stable-stringify";
import type { ExchangeRecord } from "../contracts/exchange.js";
import type { PairRow } from "../contracts/pair-row.js";
import { redactText, redactValue } from "./redact.js";

/** A harvested case in the native bench format (one JSON object per line). */
export interface BenchCase {
  /**
   * `sha256:` of the candidate release, the category and the canonical (redacted) input: the
   * merge key, so a second candidate failing on the same input keeps its own case, and the same
   * failure harvested again adds nothing.
   */
  readonly id: string;
  /** `sha256:` of the canonical (redacted) input alone: the same request across candidates. */
  readonly input_hash: string;
  readonly input: { readonly messages: readonly { readonly role: string; readonly content: unknown }[] };
  /** What the baseline release did: the reference behaviour. */
  readonly expected: BehaviourSnapshot;
  /** What the candidate did instead. */
  readonly observed: BehaviourSnapshot;
  readonly provenance: {
    readonly request_id: string;
    readonly replica: number;
    readonly baseline_release: string;
    readonly candidate_release: string;
    readonly category: string;
    readonly reason: string;
    readonly ts: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The Langfuse trace the request came from, when its record names one. */
    readonly langfuse_trace_id?: string;
  };
}

export interface BehaviourSnapshot {
  readonly output: string | null;
  readonly outcome: unknown;
  readonly tool_calls: readonly { readonly name: string; readonly arguments: unknown }[];
  readonly refusal: boolean | null;
}

/** A divergent pair as the store returns it for harvesting: the pair row's columns it reads. */
export type HarvestRow = Pick<
  PairRow,
  | "request_id"
  | "replica"
  | "category"
  | "reason"
  | "paths"
  | "baseline_release"
  | "candidate_release"
  | "label_keys"
  | "label_values"
  | "raw"
>;

/**
 * The case a divergent pair gives, redacted before anything is hashed or kept: `redactPaths` are
 * JSON pointers into an exchange record (`/request/metadata/ip`, `/labels/account`), applied to
 * both records and to the pair's labels, on top of the text scrubbing every string gets.
 */
export function benchCaseOf(row: HarvestRow, redactPaths: readonly string[]): BenchCase {
  const { baseline, candidate } = JSON.parse(row.raw) as {
    baseline: ExchangeRecord;
    candidate: ExchangeRecord;
  };
  const redactedBaseline = redactValue(baseline, redactPaths) as ExchangeRecord;
  const redactedCandidate = redactValue(candidate, redactPaths) as ExchangeRecord;
  const messages = redactedBaseline.request.messages.map((message) => ({
    role: message.role,
    content: message.content,
  }));
  const labels = Object.fromEntries(row.label_keys.map((key, index) => [key, row.label_values[index] ?? ""]));
  const redactedLabels = (redactValue({ labels }, redactPaths) as { labels: Record<string, unknown> }).labels;
  const traceId = langfuseTraceId(baseline, redactedBaseline);
  return {
    id: sha256([row.candidate_release, row.category, messages]),
    input_hash: sha256(messages),
    input: { messages },
    expected: snapshot(redactedBaseline),
    observed: snapshot(redactedCandidate),
    provenance: {
      request_id: row.request_id,
      replica: row.replica,
      baseline_release: row.baseline_release,
      candidate_release: row.candidate_release,
      category: row.category,
      reason: redactText(row.reason),
      ts: redactedBaseline.ts,
      // A pointer may replace a label whole; what is left is always a string, as labels are.
      labels: Object.fromEntries(Object.entries(redactedLabels).map(([key, value]) => [key, String(value)])),
      ...(traceId === undefined ? {} : { langfuse_trace_id: traceId }),
    },
  };
}

function sha256(value: unknown): string {
  return `sha256:${createHash("sha256").update(stableStringify(value)).digest("hex")}`;
}

/**
 * The trace id a producer tracing with Langfuse puts in `request.metadata.langfuse_trace_id`. A
 * request id is not a trace id, so without it there is none; and one that redaction touched (a
 * `--redact-path` over the metadata, or a scrubbed fragment) no longer names the trace.
 */
function langfuseTraceId(raw: ExchangeRecord, redacted: ExchangeRecord): string | undefined {
  const value = raw.request.metadata?.langfuse_trace_id;
  if (typeof value !== "string" || value === "") return undefined;
  return redacted.request.metadata?.langfuse_trace_id === value ? value : undefined;
}

function snapshot(record: ExchangeRecord): BehaviourSnapshot {
  return {
    output: record.response.output,
    outcome: record.response.outcome,
    tool_calls: record.response.steps.map((step) => ({ name: step.name, arguments: step.arguments })),
    refusal: record.response.refusal,
  };
}
