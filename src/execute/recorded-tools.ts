import type { ExchangeRecord } from "../contracts/exchange.js";
import { canonicalize, canonicalKey } from "../normalize/canonical.js";
import type { CompiledRules } from "../normalize/compile-rules.js";

export type ToolAnswer =
  | { readonly recorded: true; readonly result: unknown; readonly error?: unknown }
  | { readonly recorded: false; readonly error: string };

/**
 * The baseline's recorded tool results, the only answers a candidate's tool calls ever get: there
 * is no code path that reaches a real tool. Calls match by tool name and canonical arguments (the
 * normalization rules apply, so masked ids and timestamps do not block a match); repeated
 * identical calls get the recordings in order. An unmatched call gets a synthetic error.
 */
export class RecordedTools {
  private readonly recordings = new Map<string, { result: unknown; error?: unknown }[]>();
  unrecorded = 0;

  constructor(
    baseline: ExchangeRecord,
    private readonly rules: CompiledRules,
  ) {
    for (const step of baseline.response.steps) {
      const key = this.keyOf(step.name, step.arguments);
      const list = this.recordings.get(key) ?? [];
      list.push(
        step.error === undefined || step.error === null
          ? { result: step.result }
          : { result: step.result, error: step.error },
      );
      this.recordings.set(key, list);
    }
  }

  answer(name: string, args: Record<string, unknown>): ToolAnswer {
    const list = this.recordings.get(this.keyOf(name, args));
    const recording = list?.shift();
    if (recording !== undefined) {
      return recording.error === undefined
        ? { recorded: true, result: recording.result }
        : { recorded: true, result: recording.result, error: recording.error };
    }
    this.unrecorded++;
    return { recorded: false, error: `not recorded in shadow: ${name} ${JSON.stringify(args)}` };
  }

  private keyOf(name: string, args: unknown): string {
    const toolRules = this.rules.toolRules(name);
    return `${name}\u0000${canonicalKey(canonicalize(args, this.rules.masks, toolRules.ignore))}`;
  }
}
