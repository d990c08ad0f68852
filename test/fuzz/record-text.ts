import fc from "fast-check";
import { hostileString, hugeString, jsonText, objectOf, stringToken } from "./hostile.js";

/**
 * Exchange records as JSON text, valid by construction, with hostile values wherever the contract
 * allows any value (arguments, outcome, results, metadata, message content, output, labels,
 * names). Built as text so that number tokens, prototype keys and deep nesting reach the parser
 * as written.
 */
export interface StepParts {
  readonly name: string;
  readonly turn: number | undefined;
  /** JSON text of an object. */
  readonly args: string;
  /** JSON text, or undefined for no `result`. */
  readonly result: string | undefined;
  readonly failed: boolean;
}

export interface RecordParts {
  readonly id: string;
  readonly model: string;
  readonly labels: string;
  readonly metadata: string;
  readonly content: string;
  readonly steps: readonly StepParts[];
  readonly output: string | null;
  readonly outcome: string;
  readonly refusal: boolean | null;
  readonly stopReason: string | undefined;
  readonly error: { readonly type: string; readonly message: string } | null;
  readonly latency: string;
}

export function recordText(parts: RecordParts, releaseId = "sha256:base"): string {
  const steps = parts.steps.map(stepText).join(",");
  const output = parts.output === null ? "null" : JSON.stringify(parts.output);
  const stop = parts.stopReason === undefined ? "" : `"stop_reason":${JSON.stringify(parts.stopReason)},`;
  const error = parts.error === null ? "null" : JSON.stringify(parts.error);
  return (
    `{"schema":"shadowdiff.exchange/v1","id":${JSON.stringify(parts.id)},"ts":"2026-11-20T09:00:00Z",` +
    `"labels":${parts.labels},` +
    `"release":{"id":${JSON.stringify(releaseId)},"model":${JSON.stringify(parts.model)},"prompt":"sha256:p","tools":"sha256:t"},` +
    `"request":{"messages":[{"role":"user","content":${parts.content}}],"metadata":${parts.metadata}},` +
    `"response":{"steps":[${steps}],"output":${output},"outcome":${parts.outcome},"refusal":${JSON.stringify(parts.refusal)},${stop}` +
    `"usage":{"input_tokens":100,"output_tokens":20},"latency_ms":${parts.latency},"error":${error}}}`
  );
}

function stepText(step: StepParts): string {
  const turn = step.turn === undefined ? "" : `"turn":${step.turn},`;
  const result = step.result === undefined ? "" : `,"result":${step.result}`;
  const error = step.failed ? ',"error":{"message":"tool failed"}' : "";
  return `{"type":"tool_call",${turn}"name":${JSON.stringify(step.name)},"arguments":${step.args}${result}${error}}`;
}

const nonEmpty = (text: string) => (text === "" ? "x" : text);

/**
 * Deep leaves stay below the record limit (1,000 levels): a leaf sits at most about a dozen
 * levels down (arguments are 5 levels into a record, then the generated nesting).
 */
const value = jsonText({ maxDepth: 3, maxDeepLeaf: 900 });

/** Names shared between the two sides of a pair, so that calls can match, plus hostile ones. */
const toolName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("lookup", "refund_order", "__proto__", "constructor") },
  { weight: 1, arbitrary: hostileString.map(nonEmpty) },
);

const stepParts: fc.Arbitrary<StepParts> = fc.record({
  name: toolName,
  turn: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  args: objectOf(value),
  result: fc.option(value, { nil: undefined }),
  failed: fc.boolean(),
});

/** Models a pricing table lists, and one it does not. */
export const PRICED_MODEL = "openai/gpt-4o-2024-08-06";
const UNPRICED_MODEL = "acme/house-model-7";

export const recordParts: fc.Arbitrary<RecordParts> = fc.record({
  id: hostileString.map(nonEmpty),
  model: fc.constantFrom(PRICED_MODEL, UNPRICED_MODEL),
  labels: objectOf(stringToken),
  metadata: objectOf(value),
  content: value,
  steps: fc.array(stepParts, { maxLength: 5 }),
  output: fc.oneof(
    { weight: 24, arbitrary: hostileString },
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: hugeString },
  ),
  outcome: value,
  refusal: fc.constantFrom(true, false, null),
  stopReason: fc.option(fc.oneof(fc.constantFrom("refusal", "content_filter", "end_turn"), hostileString), {
    nil: undefined,
  }),
  error: fc.oneof(
    { weight: 5, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ type: hostileString, message: hostileString }) },
  ),
  latency: fc.constantFrom("0", "-0", "1200", "0.5", "1e-999", "5e-324", "1.7976931348623157e308"),
});

type StepSharing = "same" | "own" | "shuffled" | "dropped" | "reargued";

/** The candidate's calls: the baseline's, its own, reordered, some dropped, or re-argued. */
function candidateSteps(
  sharing: StepSharing,
  baseline: readonly StepParts[],
  own: readonly StepParts[],
): fc.Arbitrary<readonly StepParts[]> {
  switch (sharing) {
    case "same":
      return fc.constant(baseline);
    case "own":
      return fc.constant(own);
    case "shuffled":
      return fc.shuffledSubarray([...baseline], { minLength: baseline.length });
    case "dropped":
      return fc.subarray([...baseline]);
    case "reargued":
      // The same calls with other arguments: argument drift, or none under `ignore`.
      return fc.constant(baseline.map((step, index) => ({ ...step, args: own[index]?.args ?? "{}" })));
  }
}

/** Which parts of the candidate are copied from the baseline; the rest are its own. */
const sharing = fc.record({
  steps: fc.constantFrom<StepSharing>("same", "own", "shuffled", "dropped", "reargued"),
  outcome: fc.boolean(),
  output: fc.boolean(),
  refusal: fc.boolean(),
  stopReason: fc.boolean(),
  error: fc.boolean(),
});

/** A baseline and a candidate that share some parts: pairs of every category. */
export const pairParts: fc.Arbitrary<readonly [RecordParts, RecordParts]> = fc
  .tuple(recordParts, recordParts, sharing)
  .chain(([baseline, own, share]) =>
    candidateSteps(share.steps, baseline.steps, own.steps).map((steps) => {
      const candidate: RecordParts = {
        ...own,
        id: baseline.id,
        steps,
        outcome: share.outcome ? baseline.outcome : own.outcome,
        output: share.output ? baseline.output : own.output,
        refusal: share.refusal ? baseline.refusal : own.refusal,
        stopReason: share.stopReason ? baseline.stopReason : own.stopReason,
        error: share.error ? baseline.error : own.error,
      };
      return [baseline, candidate] as const;
    }),
  );
