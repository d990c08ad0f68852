import type { ExchangeResponse } from "../contracts/exchange.js";
import type { CompiledRules } from "./compile-rules.js";

/**
 * Whether the agent refused. The record's own flag wins when the producer knows; then the
 * provider's stop reason; then the configured text detectors over the final output.
 */
export function detectRefusal(response: ExchangeResponse, rules: CompiledRules): boolean {
  if (response.refusal !== null) return response.refusal;
  const stopReason = response.stop_reason;
  if (stopReason !== undefined && stopReason !== null && rules.refusalStopReasons.has(stopReason))
    return true;
  const output = response.output;
  if (output === null || rules.refusalPatterns.length === 0) return false;
  return rules.refusalPatterns.some((pattern) => pattern.test(output));
}
