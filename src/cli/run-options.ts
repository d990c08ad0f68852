import { executionOptions } from "./execution-options.js";
import { option } from "./option-table.js";
import { manifestRootOptions, rulesOption } from "./shared-options.js";
import { storeOptions } from "./store-options.js";

/** The flags of `shadowdiff run`, one typed table (flag, env, config key, default). */
export const runOptions = {
  source: option({
    flags: "--source <source>",
    description: "baseline traffic: file:CAPTURE.jsonl, or otlp:TRACES.jsonl (OTLP JSON lines, docs/OTEL.md)",
    env: "SHADOWDIFF_SOURCE",
    required: true,
  }),
  candidate: option<string[]>({
    flags: "--candidate <candidate>",
    description:
      "a recorded candidate file:C.jsonl or otlp:TRACES.jsonl, or a release to execute release:MANIFEST (repeatable)",
    repeatable: true,
    required: true,
  }),
  ...executionOptions,
  noise: option({
    flags: "--noise <source>",
    defaultText: "none: no noise floor, net drift inconclusive",
    description: "A/A re-run of the baseline: file:A.jsonl",
  }),
  rules: rulesOption,
  release: option<string[]>({
    flags: "--release <manifest>",
    defaultText: "none: calls are not checked against tool schemas",
    description: "release manifest (repeatable): names in reports, tool schemas to check calls against",
    repeatable: true,
  }),
  pricing: option({
    flags: "--pricing <file>",
    description: "pricing table (default: the one shipped in config/pricing.yaml)",
    env: "SHADOWDIFF_PRICING",
  }),
  deadLetter: option({
    flags: "--dead-letter <file>",
    description: "where invalid records go, with their reason",
    env: "SHADOWDIFF_DEAD_LETTER",
    defaultValue: "reports/dead-letters.jsonl",
  }),
  by: option({
    flags: "--by <labels>",
    defaultText: "no segments",
    description: "segment the closing summary by these labels (comma-separated)",
  }),
  format: option<"terminal" | "markdown" | "json" | "none">({
    flags: "--format <format>",
    description: "closing summary format",
    choices: ["terminal", "markdown", "json", "none"],
    defaultValue: "terminal",
  }),
  ...storeOptions,
  strict: option<boolean>({
    flags: "--strict",
    description: "exit 2 when any line is invalid or the source holds no records",
  }),
  ...manifestRootOptions,
  judge: option({
    flags: "--judge <manifest>",
    defaultText: "no judge",
    description:
      "judge the pairs as they are written (judge.yaml; shares --retries, --rate-limit, --concurrency, --max-spend as a budget of its own, --model-base-url, --allow-floating)",
  }),
} as const;
