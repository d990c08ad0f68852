import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { kafkajsConnection } from "../../consume/kafkajs-port.js";
import { LOG_LEVELS, type LogLevel, lineLogger } from "../../consume/logger.js";
import { startConsume } from "../../consume/start-consume.js";
import { DEFAULT_FLUSH } from "../../consume/write-behind-policy.js";
import { ShadowdiffError } from "../../contracts/errors.js";
import { readPricing } from "../../contracts/read-pricing.js";
import { loadJudge } from "../../judge/load-judge.js";
import { loadRelease } from "../../release/load.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { executionOptions, executionSettings } from "../execution-options.js";
import { EXIT } from "../exit-codes.js";
import { parseInputSpecs } from "../input-specs.js";
import { judgeSettings, judgeSummaryText } from "../judge-options.js";
import { kafkaClient, kafkaOptions, shutdownSignal } from "../kafka-options.js";
import { numberAbove, wholeNumber } from "../option-parsers.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { manifestLoading, manifestRootOptions, readRulesOption, rulesOption } from "../shared-options.js";
import { storeOptions, storeSettings } from "../store-options.js";
import { consumeOtlpOptions, otlpSettings } from "./consume-otlp-options.js";

const consumeOptions = {
  topic: option({
    flags: "--topic <topic>",
    description: "topic of baseline exchange records (with --format otlp: traces of both releases)",
    env: "SHADOWDIFF_TOPIC",
    required: true,
  }),
  group: option({
    flags: "--group <id>",
    description: "consumer group",
    env: "SHADOWDIFF_GROUP",
    defaultValue: "shadowdiff",
  }),
  candidate: option<string[]>({
    flags: "--candidate <candidate>",
    description:
      "a recorded candidate file:C.jsonl, a release to execute release:M (repeatable), or topic:T (pair-join mode)",
    defaultText: "required, except with --format otlp",
    repeatable: true,
  }),
  deadLetterTopic: option({
    flags: "--dead-letter-topic <topic>",
    description: "where invalid records go, reason in headers (default: <topic>.dead-letter)",
  }),
  joinWindow: option<number>({
    flags: "--join-window <seconds>",
    description: "pair-join mode: how long a record waits for its partner before it counts as unpaired",
    defaultValue: 60,
    parse: numberAbove(0),
  }),
  fromBeginning: option<boolean>({
    flags: "--from-beginning",
    description: "a new group starts at the oldest offset",
  }),
  rules: rulesOption,
  release: option<string[]>({
    flags: "--release <manifest>",
    defaultText: "none: calls are not checked against tool schemas",
    description: "release manifest (repeatable)",
    repeatable: true,
  }),
  pricing: option({
    flags: "--pricing <file>",
    defaultText: "the one shipped in config/pricing.yaml",
    description: "pricing table",
    env: "SHADOWDIFF_PRICING",
  }),
  metricsPort: option<number>({
    flags: "--metrics-port <port>",
    defaultText: "no metrics server",
    description: "serve Prometheus metrics on this port (/metrics); 0 takes a free one",
    env: "SHADOWDIFF_METRICS_PORT",
    parse: wholeNumber(0, 65_535),
  }),
  idleExit: option<number>({
    flags: "--idle-exit <seconds>",
    defaultText: "never: run until stopped",
    description: "exit 0 after this long without a record (backfills, tests)",
    parse: numberAbove(0),
  }),
  diffThreads: option<number>({
    flags: "--diff-threads <n>",
    description:
      "threads that parse and diff recorded candidates; 0 diffs in the consumer's own thread (default: the machine's cores)",
    env: "SHADOWDIFF_DIFF_THREADS",
    defaultValue: availableParallelism(),
    parse: wholeNumber(0),
  }),
  flushPairs: option<number>({
    flags: "--flush-pairs <n>",
    description: "store once this many pairs are waiting (larger inserts cost the store less)",
    defaultValue: DEFAULT_FLUSH.maxPairs,
    parse: wholeNumber(1),
  }),
  flushMegabytes: option<number>({
    flags: "--flush-megabytes <n>",
    description: "…or once the waiting rows hold this many MiB (bounds the consumer's memory)",
    defaultValue: DEFAULT_FLUSH.maxBytes / (1 << 20),
    parse: wholeNumber(1),
  }),
  flushInterval: option<number>({
    flags: "--flush-interval <seconds>",
    description: "store what is waiting after at most this long",
    defaultValue: DEFAULT_FLUSH.maxDelayMs / 1000,
    parse: numberAbove(0),
  }),
  logLevel: option<LogLevel>({
    flags: "--log-level <level>",
    description:
      "what the consumer logs to stderr besides its progress lines; warn shows every failure it rides out",
    env: "SHADOWDIFF_LOG_LEVEL",
    choices: LOG_LEVELS,
    defaultValue: "warn",
  }),
  judge: option({
    flags: "--judge <manifest>",
    defaultText: "no judge",
    description:
      "judge each write's pairs after the store took them, before their offsets are committed (judge.yaml; shares --retries, --rate-limit, --concurrency, --max-spend as a budget of its own, --model-base-url, --allow-floating)",
  }),
  ...consumeOtlpOptions,
  ...executionOptions,
  ...kafkaOptions,
  ...storeOptions,
  ...manifestRootOptions,
} as const;

export function registerConsume(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("consume")
    .description("consume baseline traffic from Kafka in a consumer group, diff it, store the pairs")
    .addHelpText(
      "after",
      `
At least once: offsets are committed after the store acknowledged each batch; the store replaces
by key, so redelivery never counts twice. Scale out by starting more processes in the same group.
SIGTERM/SIGINT stop fetching, abandon uncommitted work, and leave the group.

Example:
  shadowdiff consume --topic agent.exchanges --brokers kafka:9092 \\
    --candidate file:candidate.jsonl --store clickhouse:http://clickhouse:8123 --metrics-port 9464

With --format otlp the topic holds the OpenTelemetry Collector's Kafka exporter output (one OTLP
ExportTraceServiceRequest per message, otlp_proto or otlp_json, detected per message) for both
releases. Spans are assembled per trace id until the agent span arrived plus --trace-grace, each
trace becomes an exchange record, and records are joined by pair key: --baseline-release names
the baseline, every other release is a candidate. Offsets are committed only where every trace
is read again whole or not at all after a crash. Run one process per topic in this mode (a
trace's spans may be on every partition). Traces that make no record go to the dead-letter
topic with the reason and the trace id (header shadowdiff-trace-id).

  shadowdiff consume --format otlp --topic otlp_spans --baseline-release support-agent@1.4.0 \\
    --brokers kafka:9092 --store clickhouse:http://clickhouse:8123

With --judge, every write's pairs in the judge's categories are judged once the store has
acknowledged them, and only then are their offsets committed: a crash re-reads and re-judges them,
answered from the judge's cache (no model calls for what was judged). A pair whose judge calls
fail after their retries (or that the budget or an open circuit skips) stays stored and unjudged,
and the offsets move on: a broken judge must not stall the diff. 'shadowdiff judge' judges
exactly those pairs later. A store failure while writing judgements is treated as one writing
pairs: retried while it is retriable, otherwise the run ends with nothing of that write committed.`,
    );
  addOptions(command, consumeOptions);
  command.action(() =>
    run(async () => {
      const options = readOptions(
        command,
        consumeOptions,
        await loadCommandConfig(command, context.env),
        context.env,
      );
      const rules = await readRulesOption(options.rules);
      const releases = await Promise.all(
        (options.release ?? []).map((path) => loadRelease(path, manifestLoading(options))),
      );
      const pricing = await readPricing(options.pricing);
      const otlp = otlpSettings(options);
      const candidates = candidateSpecs(options.candidate ?? []);
      const executed = await Promise.all(
        candidates.executed.map((path) => loadRelease(path, manifestLoading(options))),
      );
      const kafka = kafkajsConnection(
        kafkaClient(options, context.env),
        kafkaClient(options, context.env, { retries: 2 }),
        options.brokers.split(","),
      );
      const judge =
        options.judge === undefined
          ? undefined
          : await loadJudge(options.judge, {
              ...manifestLoading(options),
              allowFloating: options.allowFloating === true,
            });
      let lastReport = 0;
      const { metrics, stopped, judged } = await startConsume({
        kafka,
        topic: options.topic,
        groupId: options.group,
        deadLetterTopic: options.deadLetterTopic ?? `${options.topic}.dead-letter`,
        fromBeginning: options.fromBeginning === true,
        recordedFiles: candidates.files,
        ...(executed.length === 0
          ? {}
          : { executed: { releases: executed, settings: executionSettings(options, context.env) } }),
        ...(candidates.topic === undefined ? {} : { candidateTopic: candidates.topic }),
        ...(otlp === undefined ? {} : { otlp }),
        joinWindowMs: options.joinWindow * 1000,
        ...(judge === undefined ? {} : { judge: { judge, settings: judgeSettings(options, context.env) } }),
        rules,
        releases,
        pricing,
        diffThreads: options.diffThreads,
        store: storeSettings(options),
        ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
        flush: {
          maxPairs: options.flushPairs,
          maxBytes: options.flushMegabytes * (1 << 20),
          maxDelayMs: options.flushInterval * 1000,
        },
        ...(options.idleExit === undefined ? {} : { idleExitMs: options.idleExit * 1000 }),
        shutdown: () =>
          shutdownSignal((name) => context.stderr(`consume: ${name}, finishing the current batch\n`)),
        logger: lineLogger(context.stderr, options.logLevel, "consume"),
        on: {
          indexed: (capture, threads) =>
            context.stderr(
              `consume: indexed ${capture.path}: ${capture.size} records${capture.invalid > 0 ? `, ${capture.invalid} invalid lines skipped` : ""}${threads ? ` (${threads} threads)` : ""}\n`,
            ),
          // Port 0 takes a free one; the line names where the metrics are, either way.
          metricsServer: (port) => context.stderr(`consume: metrics on port ${port} (/metrics)\n`),
          assignment: (partitions) =>
            context.stderr(`consume: joined group ${options.group}, partitions [${partitions.join(",")}]\n`),
          progress: (current) => {
            if (Date.now() - lastReport < 2_000) return;
            lastReport = Date.now();
            context.stderr(
              `consume: ${current.records} records, ${current.pairs} pairs, ${current.invalid} invalid, lag ${current.totalLag()}\n`,
            );
          },
        },
      });
      if (judge && judged) {
        const name = `${judge.release.name}@${judge.release.version}`;
        context.stderr(judgeSummaryText(name, "the pairs consumed", judged));
      }
      context.stderr(
        `consume: stopped after ${metrics.records} records: ${metrics.pairs} pairs, ${metrics.unpaired} unpaired, ${metrics.invalid} invalid, ${metrics.storeRetries} store retries\n`,
      );
      // --idle-exit means "the topic is drained": records known to be left unread contradict it.
      const lag = metrics.totalLag();
      if (!stopped && options.idleExit !== undefined && lag > 0) {
        context.stderr(
          `consume: ${lag} record(s) still unread (lag) when it went idle; not a complete run\n`,
        );
        return EXIT.infrastructure;
      }
      return EXIT.ok;
    }),
  );
}

/** `--candidate` values by kind: recorded files, executed releases, or one pair-join topic. */
function candidateSpecs(specs: readonly string[]): {
  files: string[];
  executed: string[];
  topic: string | undefined;
} {
  const topics = specs.filter((spec) => spec.startsWith("topic:"));
  const executed = specs.filter((spec) => spec.startsWith("release:"));
  const files = specs.filter((spec) => !spec.startsWith("topic:") && !spec.startsWith("release:"));
  if (topics.length > 1 || (topics.length === 1 && files.length > 0)) {
    throw new ShadowdiffError(
      "BAD_USAGE",
      "pair-join mode takes one --candidate topic:T and no recorded files",
    );
  }
  return {
    files: parseInputSpecs(files, "--candidate", ["file"], {
      otherwise: "expected file:PATH or topic:NAME",
    }).map((spec) => spec.value),
    executed: executed.map((spec) => spec.slice("release:".length)),
    topic: topics[0]?.slice("topic:".length),
  };
}
