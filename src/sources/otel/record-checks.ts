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
  if (nestsDeeper(record, MAX_JSON_DEPTH))
    return `nested deeper than ${MAX_JSON_DEPTH} levels (the limit for a record)`;
  return undefined;
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
