import { ShadowdiffError } from "../contracts/errors.js";
import { parseBudget, parseShare } from "../execute/limits.js";
import type { ExecutionSettings } from "../pipeline/run-executed.js";
import { budget, numberAbove, share, wholeNumber } from "./option-parsers.js";
import { option } from "./option-table.js";

/** Flags of executed candidates (`--candidate release:M`), shared by `run` and `consume`. */
export const executionOptions = {
  sample: option({
    flags: "--sample <share>",
    description: "executed: share of sessions shadowed, whole sessions (5%)",
    defaultValue: "100%",
    parse: share,
  }),
  include: option<string[]>({
    flags: "--include <label=value>",
    defaultText: "every record",
    description: "executed: only records with this label (repeatable)",
    repeatable: true,
  }),
  exclude: option<string[]>({
    flags: "--exclude <label=value>",
    defaultText: "none",
    description: "executed: skip records with this label (repeatable)",
    repeatable: true,
  }),
  concurrency: option<number>({
    flags: "--concurrency <n>",
    description: "executed: requests in flight",
    defaultValue: 8,
    parse: wholeNumber(1),
  }),
  rateLimit: option<number>({
    flags: "--rate-limit <n>",
    description: "executed: requests per second per provider",
    defaultValue: 20,
    parse: numberAbove(0),
  }),
  maxSpend: option({
    flags: "--max-spend <budget>",
    defaultText: "no limit",
    description: "executed: stop spending past this (20usd/h); skipped requests are counted",
    parse: budget,
  }),
  retries: option<number>({
    flags: "--retries <n>",
    description: "executed: retries of 429/5xx/connection failures",
    defaultValue: 3,
    parse: wholeNumber(0),
  }),
  maxSteps: option<number>({
    flags: "--max-steps <n>",
    description: "executed: model calls per request",
    defaultValue: 12,
    parse: wholeNumber(1),
  }),
  baselineReplay: option({
    flags: "--baseline-replay <share>",
    defaultText: "0, no A/A re-run",
    description:
      "executed: also re-run the baseline release (its --release manifest) on this share, as A/A replica 1",
    parse: share,
  }),
  allowFloating: option<boolean>({
    flags: "--allow-floating",
    description: "executed: accept a release whose model is a floating alias",
  }),
  modelBaseUrl: option({
    flags: "--model-base-url <url>",
    defaultText: "each manifest's endpoint",
    description: "executed: send every provider request here (a proxy, or the scripted fixture server)",
    env: "SHADOWDIFF_MODEL_BASE_URL",
  }),
} as const;

export function executionSettings(
  options: {
    readonly sample: string;
    readonly include: string[] | undefined;
    readonly exclude: string[] | undefined;
    readonly concurrency: number;
    readonly rateLimit: number;
    readonly maxSpend: string | undefined;
    readonly retries: number;
    readonly maxSteps: number;
    readonly baselineReplay: string | undefined;
    readonly allowFloating: boolean | undefined;
    readonly modelBaseUrl: string | undefined;
  },
  env: NodeJS.ProcessEnv,
): ExecutionSettings {
  return {
    sample: parseShare(options.sample),
    ...(options.include ? { include: labelMap(options.include, "--include") } : {}),
    ...(options.exclude ? { exclude: labelMap(options.exclude, "--exclude") } : {}),
    concurrency: options.concurrency,
    ratePerSecond: options.rateLimit,
    ...(options.maxSpend === undefined ? {} : { maxSpend: parseBudget(options.maxSpend) }),
    retries: options.retries,
    maxSteps: options.maxSteps,
    timeoutMs: 60_000,
    allowFloating: options.allowFloating === true,
    ...(options.baselineReplay === undefined ? {} : { baselineReplay: parseShare(options.baselineReplay) }),
    ...(options.modelBaseUrl === undefined ? {} : { baseUrl: options.modelBaseUrl }),
    env,
  };
}

function labelMap(pairs: readonly string[], flag: string): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new ShadowdiffError("BAD_USAGE", `${flag} ${pair}: expected label=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
