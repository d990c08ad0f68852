import { type ExchangeRecord, MAX_STEPS } from "../../contracts/exchange.js";
import { MAX_JSON_DEPTH } from "../../contracts/json-depth.js";

/**
 * What trace data can make a mapped record break the exchange contract, or undefined when it
 * cannot: everything else in the record is built by the mapping's own code in the contract's
 * shape (non-empty ids and model, whole non-negative token counts, an ISO time from a 64-bit
 * nanosecond count, a latency of at least zero), and the full contract is checked once, where
 * records are read to be stored. Names and roles come from instrumentation text and may be
 * empty; steps are as many as the model asked for; arguments, results and outcomes are parsed
 * JSON of any depth.
 */
export function contractProblem(record: ExchangeRecord): string | undefined {
  const steps = record.response.steps;
  if (steps.length > MAX_STEPS)
    return `/response/steps has ${steps.length} tool calls, more than the ${MAX_STEPS} a record may hold`;
  for (let index = 0; index < steps.length; index++)
    if (steps[index]?.name === "") return `/response/steps/${index}/name is empty (a tool call needs a name)`;
  const messages = record.request.messages;
  for (let index = 0; index < messages.length; index++)
    if (messages[index]?.role === "") return `/request/messages/${index}/role is empty`;
  if (dataNestsDeeper(record)) return `nested deeper than ${MAX_JSON_DEPTH} levels (the limit for a record)`;
  return undefined;
}

/**
 * Whether a value taken from trace data nests past the record's limit, each walked with the
 * levels left at its place in the record. The mapping's own skeleton is at most eight levels
 * deep; only arguments, results, errors, message contents and the outcome hold trace data of
 * any depth, so only they are walked (walking the whole record cost a twentieth of the mapping).
 */
function dataNestsDeeper(record: ExchangeRecord): boolean {
  // record 1, response 2, steps 3, a step 4, its arguments / result / error 5.
  for (const step of record.response.steps)
    if (
      nestsDeeper(step.arguments, MAX_JSON_DEPTH - 4) ||
      nestsDeeper(step.result, MAX_JSON_DEPTH - 4) ||
      nestsDeeper(step.error, MAX_JSON_DEPTH - 4)
    )
      return true;
  // record 1, request 2, messages 3, a message 4, its content 5.
  for (const message of record.request.messages)
    if (nestsDeeper(message.content, MAX_JSON_DEPTH - 4)) return true;
  // record 1, response 2, outcome 3.
  return nestsDeeper(record.response.outcome, MAX_JSON_DEPTH - 2);
}

/**
 * valueNestsDeeper's answer (an object or array at level `levels + 1` or below) by plain
 * recursion, which the limit keeps to 1,000 frames: the contract's version allocates a pair per
 * node for its explicit stack and took a twentieth of the mapping's time.
 */
function nestsDeeper(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeper(item, levels - 1)) return true;
    return false;
  }
  for (const key in value)
    if (Object.hasOwn(value, key) && nestsDeeper((value as Record<string, unknown>)[key], levels - 1))
      return true;
  return false;
}
