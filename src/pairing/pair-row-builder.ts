import type { ExchangeRecord } from "../contracts/exchange.js";
import type { PairRow } from "../contracts/pair-row.js";
import { type PricingTable, requestCost } from "../contracts/pricing.js";
import type { PairDiff } from "../diff/pair-diff.js";
import { type PairScores, toolCounts } from "../normalize/pair-scores.js";
import type { NormalizedTrace } from "../normalize/trace.js";

export interface PairInput {
  readonly scores: PairScores;
  readonly baseline: ExchangeRecord;
  readonly candidate: ExchangeRecord;
  readonly baselineTrace: NormalizedTrace;
  readonly candidateTrace: NormalizedTrace;
  readonly diff: PairDiff;
  readonly unrecordedCalls?: number;
  /** Both records' JSON text as received, when at hand: saves re-serializing ~3 KB a pair. */
  readonly texts?: { readonly baseline: string; readonly candidate: string };
}

/** Builds the stored row of one pair; `version` orders re-writes of the same key. */
export function buildPairRow(input: PairInput, pricing: PricingTable, version: number): PairRow {
  const { baseline, candidate, baselineTrace, candidateTrace, diff, scores } = input;
  const tools = toolCounts(baselineTrace, candidateTrace);
  const finite = (values: readonly number[]) => values.map((value) => (Number.isNaN(value) ? 0 : value));
  const scored = (values: readonly number[]) => values.map((value) => (Number.isNaN(value) ? 0 : 1));
  // Segments are the baseline's: the request as it arrived. A candidate copies or recomputes its
  // labels, and one that depends on what it did (a resolution, a route) would move a pair between
  // segments by its own behaviour. A baseline without labels falls back to the candidate's, so a
  // capture labelled only on the candidate side still segments.
  const labels = baseline.labels ?? candidate.labels ?? {};
  const labelKeys = Object.keys(labels).sort();
  const baselineCost = requestCost(pricing, baseline.release.model, baseline.response.usage);
  const candidateCost = requestCost(pricing, candidate.release.model, candidate.response.usage);
  return {
    candidate_release: candidate.release.id,
    baseline_release: baseline.release.id,
    request_id: baseline.id,
    replica: candidate.replica ?? 0,
    session: baseline.session ?? "",
    ts: Math.floor(Date.parse(baseline.ts) / 1000),
    label_keys: labelKeys,
    label_values: labelKeys.map((key) => labels[key] as string),
    category: diff.category,
    reason: diff.reason,
    paths: diff.paths,
    trajectory_match: diff.trajectoryMatch ? 1 : 0,
    arguments_match: diff.argumentsMatch ? 1 : 0,
    outcome_match: diff.outcomeMatch ? 1 : 0,
    output_match: diff.outputMatch ? 1 : 0,
    edit_distance: diff.editDistance,
    alignment: diff.alignment,
    baseline_steps: stepsJson(baselineTrace),
    candidate_steps: stepsJson(candidateTrace),
    baseline_refusal: baselineTrace.refusal ? 1 : 0,
    candidate_refusal: candidateTrace.refusal ? 1 : 0,
    baseline_error: baselineTrace.error?.type ?? "",
    candidate_error: candidateTrace.error?.type ?? "",
    baseline_tool_calls: baselineTrace.toolCalls.total,
    candidate_tool_calls: candidateTrace.toolCalls.total,
    baseline_invalid_calls: baselineTrace.toolCalls.invalid.length,
    candidate_invalid_calls: candidateTrace.toolCalls.invalid.length,
    baseline_failed_calls: baselineTrace.toolCalls.failed,
    candidate_failed_calls: candidateTrace.toolCalls.failed,
    unrecorded_calls: input.unrecordedCalls ?? 0,
    baseline_input_tokens: baseline.response.usage.input_tokens,
    baseline_output_tokens: baseline.response.usage.output_tokens,
    baseline_cached_tokens: baseline.response.usage.cached_input_tokens ?? 0,
    candidate_input_tokens: candidate.response.usage.input_tokens,
    candidate_output_tokens: candidate.response.usage.output_tokens,
    candidate_cached_tokens: candidate.response.usage.cached_input_tokens ?? 0,
    baseline_cost: baselineCost.priced ? baselineCost.usd : 0,
    candidate_cost: candidateCost.priced ? candidateCost.usd : 0,
    baseline_priced: baselineCost.priced ? 1 : 0,
    candidate_priced: candidateCost.priced ? 1 : 0,
    baseline_model: baseline.release.model,
    candidate_model: candidate.release.model,
    baseline_latency_ms: baseline.response.latency_ms,
    candidate_latency_ms: candidate.response.latency_ms,
    raw: rawRecords(input),
    score_names: scores.names,
    score_sources: scores.sources,
    baseline_scores: finite(scores.baseline),
    candidate_scores: finite(scores.candidate),
    baseline_scored: scored(scores.baseline),
    candidate_scored: scored(scores.candidate),
    baseline_check_reasons: scores.baselineReasons,
    candidate_check_reasons: scores.candidateReasons,
    tool_names: tools.names,
    baseline_tool_counts: tools.baselineCalls,
    candidate_tool_counts: tools.candidateCalls,
    baseline_tool_failures: tools.baselineFailures,
    candidate_tool_failures: tools.candidateFailures,
    version,
  };
}

/**
 * Both records, kept for the pairs someone may look at: examples and harvesting only ever take
 * divergent pairs, so an identical pair stores none (most of live traffic, and two thirds of a
 * pair row's bytes).
 */
function rawRecords({ baseline, candidate, diff, texts }: PairInput): string {
  if (diff.category === "identical") return "";
  return texts === undefined
    ? JSON.stringify({ baseline, candidate })
    : `{"baseline":${texts.baseline},"candidate":${texts.candidate}}`;
}

function stepsJson(trace: NormalizedTrace): string {
  return JSON.stringify(trace.steps.map((step) => ({ name: step.name, turn: step.group, args: step.args })));
}
