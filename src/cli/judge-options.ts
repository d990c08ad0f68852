import { parseBudget, parseShare } from "../execute/limits.js";
import type { JudgeSettings } from "../pipeline/judge-stage.js";
import type { JudgeSummary } from "../pipeline/judge-summary.js";

/** The judge's settings from the flags `judge` has and `run --judge` shares with executed candidates. */
export function judgeSettings(
  options: {
    readonly sample: string;
    readonly limit?: number | undefined;
    readonly concurrency: number;
    readonly rateLimit: number;
    readonly maxSpend: string | undefined;
    readonly retries: number;
    readonly modelBaseUrl: string | undefined;
  },
  env: NodeJS.ProcessEnv,
): JudgeSettings {
  return {
    sample: parseShare(options.sample),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    concurrency: options.concurrency,
    ratePerSecond: options.rateLimit,
    ...(options.maxSpend === undefined ? {} : { maxSpend: parseBudget(options.maxSpend) }),
    retries: options.retries,
    timeoutMs: 60_000,
    ...(options.modelBaseUrl === undefined ? {} : { baseUrl: options.modelBaseUrl }),
    env,
  };
}

/** The closing lines of a judge run (stderr), the same for `judge` and `run --judge`. */
export function judgeSummaryText(judge: string, candidate: string, summary: JudgeSummary): string {
  return [
    `judge ${judge} on ${candidate}: ${summary.considered} pairs to judge, judged ${summary.judged} (${summary.cached} cached)`,
    `  better ${summary.better} / same ${summary.same} / worse ${summary.worse}; inconsistent ${summary.inconsistent}, unparseable ${summary.unparseable}`,
    `  skipped ${summary.skippedBudget} (budget) / ${summary.skippedCircuit} (circuit open) / ${summary.skippedLimit} (limit), ${summary.sampledOut} sampled out, ${summary.failed} failed`,
    `  ${summary.modelCalls} model calls, ${summary.spentUsd.toFixed(4)} usd`,
    ...(summary.lastFailure === undefined ? [] : [`  last failure: ${summary.lastFailure}`]),
    "",
  ].join("\n");
}
