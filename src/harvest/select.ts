import { createHash } from "node:crypto";
import stableStringify from "fast-json-stable-stringify";
import type { ExchangeRecord } from "../contracts/exchange.js";
import type { PairRow } from "../contracts/pair-row.js";
import type { BehaviourSnapshot, BenchCase } from "./bench-case.js";
import { redactText, redactValue } from "./redact.js";

/** A divergent pair as the store returns it for harvesting: the pair row's columns it reads. */
export type HarvestRow = Pick<
  PairRow,
  | "request_id"
  | "replica"
  | "category"
  | "reason"
  | "baseline_release"
  | "candidate_release"
  | "label_keys"
  | "label_values"
  | "raw"
>;

/**
 * Picks up to `limit` cases that cover the failure modes: pairs are grouped into strata of
 * category × segment (the `stratifyBy` label) × first differing tool, and taken round-robin
 * across strata, so a small set spans every kind of divergence before repeating one. Cases are
 * redacted, then deduplicated by their canonical redacted input (pure).
 */
export function selectCases(
  rows: readonly HarvestRow[],
  options: { readonly limit: number; readonly stratifyBy?: string; readonly redactPaths?: readonly string[] },
): BenchCase[] {
  const strata = new Map<string, HarvestRow[]>();
  for (const row of rows) {
    const key = stratumOf(row, options.stratifyBy);
    const list = strata.get(key) ?? [];
    list.push(row);
    strata.set(key, list);
  }
  const queues = [...strata.keys()].sort().map((key) => strata.get(key) as HarvestRow[]);
  const cases: BenchCase[] = [];
  const seen = new Set<string>();
  for (let round = 0; cases.length < options.limit && queues.some((queue) => round < queue.length); round++) {
    for (const queue of queues) {
      const row = queue[round];
      if (row === undefined || cases.length >= options.limit) continue;
      const benchCase = toCase(row, options.redactPaths ?? []);
      if (seen.has(benchCase.id)) continue;
      seen.add(benchCase.id);
      cases.push(benchCase);
    }
  }
  return cases;
}

function stratumOf(row: HarvestRow, stratifyBy: string | undefined): string {
  const labelIndex = stratifyBy === undefined ? -1 : row.label_keys.indexOf(stratifyBy);
  const segment = labelIndex === -1 ? "" : (row.label_values[labelIndex] ?? "");
  const tool = /^([a-z_][\w]*)[:(]/i.exec(row.reason)?.[1] ?? "";
  return `${row.category}\u0000${segment}\u0000${tool}`;
}

function toCase(row: HarvestRow, redactPaths: readonly string[]): BenchCase {
  const { baseline, candidate } = JSON.parse(row.raw) as {
    baseline: ExchangeRecord;
    candidate: ExchangeRecord;
  };
  const redacted = redactValue({ baseline, candidate }, redactPaths) as {
    baseline: ExchangeRecord;
    candidate: ExchangeRecord;
  };
  const messages = redacted.baseline.request.messages.map((message) => ({
    role: message.role,
    content: message.content,
  }));
  const id = `sha256:${createHash("sha256").update(stableStringify(messages)).digest("hex")}`;
  const labels = Object.fromEntries(row.label_keys.map((key, index) => [key, row.label_values[index] ?? ""]));
  return {
    id,
    input: { messages },
    expected: snapshot(redacted.baseline),
    observed: snapshot(redacted.candidate),
    provenance: {
      request_id: row.request_id,
      replica: row.replica,
      baseline_release: row.baseline_release,
      candidate_release: row.candidate_release,
      category: row.category,
      reason: redactText(row.reason),
      ts: redacted.baseline.ts,
      labels,
    },
  };
}

function snapshot(record: ExchangeRecord): BehaviourSnapshot {
  return {
    output: record.response.output,
    outcome: record.response.outcome,
    tool_calls: record.response.steps.map((step) => ({ name: step.name, arguments: step.arguments })),
    refusal: record.response.refusal,
  };
}
