import type { OtlpSettings } from "../../consume/start-consume.js";
import { ShadowdiffError } from "../../contracts/errors.js";
import { numberAbove, wholeNumber } from "../option-parsers.js";
import { option } from "../option-table.js";

export const CONSUME_FORMATS = ["exchange", "otlp"] as const;
export type ConsumeFormat = (typeof CONSUME_FORMATS)[number];

/** `consume`'s options for `--format otlp`, in the command's one option table. */
export const consumeOtlpOptions = {
  format: option<ConsumeFormat>({
    flags: "--format <format>",
    description:
      "what the topic carries: exchange records, or OTLP trace export requests (protobuf or JSON, as the Collector's Kafka exporter writes them) of both releases",
    choices: CONSUME_FORMATS,
    defaultValue: "exchange",
  }),
  baselineRelease: option({
    flags: "--baseline-release <release>",
    defaultText: "required with --format otlp",
    description:
      "--format otlp: traces whose release stamp has this id, name, or name@version are the baseline; all others are candidates",
  }),
  traceGrace: option<number>({
    flags: "--trace-grace <seconds>",
    description: "--format otlp: how long after a trace's agent (root) span its late spans still join",
    defaultValue: 5,
    parse: numberAbove(0, { inclusive: true }),
  }),
  traceIdle: option<number>({
    flags: "--trace-idle <seconds>",
    description:
      "--format otlp: a trace whose root span never comes goes to the dead letters this long after its last span",
    defaultValue: 60,
    parse: numberAbove(0),
  }),
  maxTraces: option<number>({
    flags: "--max-traces <n>",
    description: "--format otlp: traces held at once; past it the oldest goes to the dead letters",
    defaultValue: 10_000,
    parse: wholeNumber(1),
  }),
  maxSpans: option<number>({
    flags: "--max-spans <n>",
    description: "--format otlp: spans held at once; past it the oldest trace goes to the dead letters",
    defaultValue: 1_000_000,
    parse: wholeNumber(1),
  }),
} as const;

/**
 * The OTLP settings, or undefined for exchange records. With OTLP both releases' traces come on
 * --topic, so a --candidate would be a second, conflicting source of candidates.
 */
export function otlpSettings(options: {
  readonly format: ConsumeFormat;
  readonly baselineRelease?: string | undefined;
  readonly candidate?: readonly string[] | undefined;
  readonly traceGrace: number;
  readonly traceIdle: number;
  readonly maxTraces: number;
  readonly maxSpans: number;
}): OtlpSettings | undefined {
  if (options.format === "exchange") {
    if (options.baselineRelease !== undefined)
      throw new ShadowdiffError("BAD_USAGE", "--baseline-release is for --format otlp");
    if ((options.candidate ?? []).length === 0)
      throw new ShadowdiffError("BAD_USAGE", "--candidate is required (file:C.jsonl, release:M or topic:T)");
    return undefined;
  }
  if (options.baselineRelease === undefined)
    throw new ShadowdiffError(
      "BAD_USAGE",
      "--format otlp needs --baseline-release <id|name|name@version>: the release whose traces are the baseline",
    );
  if ((options.candidate ?? []).length > 0)
    throw new ShadowdiffError(
      "BAD_USAGE",
      "--format otlp reads both releases' traces from --topic; drop --candidate (the release stamp tells the side)",
    );
  return {
    baselineRelease: options.baselineRelease,
    graceMs: options.traceGrace * 1000,
    idleMs: options.traceIdle * 1000,
    maxTraces: options.maxTraces,
    maxSpans: options.maxSpans,
  };
}
