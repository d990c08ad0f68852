import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { ShadowdiffError } from "../../contracts/errors.js";
import { readPricing } from "../../contracts/read-pricing.js";
import { PairBuilder } from "../../pairing/pair-builder.js";
import { PairDiffer } from "../../pairing/pair-differ.js";
import { consume, DEFAULT_FLUSH, emptyMetrics, prometheusText } from "../../pipeline/consume.js";
import { ExecutionStage } from "../../pipeline/run-executed.js";
import { loadRelease } from "../../release/load.js";
import { requireTopics } from "../../sources/kafka/require-topics.js";
import { RecordedCapture } from "../../sources/recorded-capture.js";
import { migrate } from "../../store/migrate.js";
import { openStore } from "../../store/open-store.js";
import { storePairWriter } from "../../store/pair-writer.js";
import { DiffThreads } from "../../threads/diff-threads.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { executionOptions, executionSettings } from "../execution-options.js";
import { EXIT } from "../exit-codes.js";
import { kafkaClient, kafkaOptions, shutdownSignal } from "../kafka-options.js";
import { numberAbove, wholeNumber } from "../option-parsers.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { manifestLoading, manifestRootOptions, readRulesOption } from "../shared-options.js";
import { storeOptions, storeSettings } from "../store-options.js";

const consumeOptions = {
  topic: option({
    flags: "--topic <topic>",
    description: "topic of baseline exchange records",
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
    repeatable: true,
    required: true,
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
  rules: option({
    flags: "--rules <file>",
    defaultText: "built-in rules",
    description: "diff rules (YAML/JSON)",
    env: "SHADOWDIFF_RULES",
  }),
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
    --candidate file:candidate.jsonl --store clickhouse:http://clickhouse:8123 --metrics-port 9464`,
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
      const topics = options.candidate.filter((spec) => spec.startsWith("topic:"));
      const executed = options.candidate.filter((spec) => spec.startsWith("release:"));
      const files = options.candidate.filter(
        (spec) => !spec.startsWith("topic:") && !spec.startsWith("release:"),
      );
      if (topics.length > 1 || (topics.length === 1 && files.length > 0)) {
        throw new ShadowdiffError(
          "BAD_USAGE",
          "pair-join mode takes one --candidate topic:T and no recorded files",
        );
      }
      // Recorded candidates are diffed (and first indexed) by threads; executed candidates and
      // pair-join mode run in this thread.
      const threads =
        options.diffThreads > 0 && executed.length === 0 && topics.length === 0 && files.length > 0
          ? new DiffThreads(options.diffThreads, { rules, releases, pricing })
          : undefined;
      const candidates = await Promise.all(
        files.map((spec) => {
          if (!spec.startsWith("file:")) {
            throw new ShadowdiffError("BAD_USAGE", `--candidate ${spec}: expected file:PATH or topic:NAME`);
          }
          const path = spec.slice("file:".length);
          return RecordedCapture.open(
            path,
            threads && { parts: threads.size, index: (ranges) => threads.index(path, ranges) },
          );
        }),
      ).catch(async (error: unknown) => {
        await threads?.close();
        throw error;
      });
      threads?.attach(candidates.map((capture) => capture.share()));
      for (const capture of candidates) {
        context.stderr(
          `consume: indexed ${capture.path}: ${capture.size} records${capture.invalid > 0 ? `, ${capture.invalid} invalid lines skipped` : ""}${threads ? ` (${threads.size} threads)` : ""}\n`,
        );
      }
      const candidateTopic = topics[0]?.slice("topic:".length);
      const toExecute = await Promise.all(
        executed.map((spec) => loadRelease(spec.slice("release:".length), manifestLoading(options))),
      );
      const execution =
        toExecute.length === 0
          ? undefined
          : {
              stage: new ExecutionStage(
                toExecute,
                executionSettings(options, context.env),
                [...releases, ...toExecute],
                pricing,
                new PairBuilder(
                  new PairDiffer(rules, [...releases, ...toExecute]),
                  [...releases, ...toExecute],
                  pricing,
                ),
              ),
              concurrency: options.concurrency,
            };
      const store = await openStore(storeSettings(options));
      const metrics = emptyMetrics();
      const server =
        options.metricsPort === undefined
          ? undefined
          : createServer((request, response) => {
              if (request.url !== "/metrics") {
                response.writeHead(404).end();
                return;
              }
              response
                .writeHead(200, { "content-type": "text/plain; version=0.0.4" })
                .end(prometheusText(metrics));
            });
      if (server !== undefined) {
        // Port 0 takes a free one; the line names where the metrics are, either way.
        // Every interface, as before: a Prometheus in the cluster scrapes it.
        await new Promise<void>((resolve) => server.listen(options.metricsPort, resolve));
        const address = server.address();
        const port = address !== null && typeof address === "object" ? address.port : options.metricsPort;
        context.stderr(`consume: metrics on port ${port} (/metrics)\n`);
      }
      const shutdown = shutdownSignal((name) =>
        context.stderr(`consume: ${name}, finishing the current batch\n`),
      );
      let lastReport = 0;
      let exitCode: number = EXIT.ok;
      try {
        const kafka = kafkaClient(options, context.env);
        const deadLetterTopic = options.deadLetterTopic ?? `${options.topic}.dead-letter`;
        await requireTopics(kafkaClient(options, context.env, { retries: 2 }), options.brokers.split(","), [
          { name: options.topic, role: "--topic" },
          ...(candidateTopic === undefined ? [] : [{ name: candidateTopic, role: "--candidate topic:" }]),
          { name: deadLetterTopic, role: "dead letters, --dead-letter-topic" },
        ]);
        await migrate(store);
        await consume({
          kafka,
          topic: options.topic,
          groupId: options.group,
          deadLetterTopic,
          fromBeginning: options.fromBeginning === true,
          candidates,
          ...(execution === undefined ? {} : { execution }),
          ...(candidateTopic === undefined
            ? {}
            : { candidateTopic, joinWindowMs: options.joinWindow * 1000 }),
          rules,
          releases,
          pricing,
          writer: storePairWriter(store),
          signal: shutdown.signal,
          ...(options.idleExit === undefined ? {} : { idleExitMs: options.idleExit * 1000 }),
          metrics,
          ...(threads === undefined ? {} : { diffThreads: threads }),
          flush: {
            maxPairs: options.flushPairs,
            maxBytes: options.flushMegabytes * (1 << 20),
            maxDelayMs: options.flushInterval * 1000,
          },
          onAssignment: (partitions) =>
            context.stderr(`consume: joined group ${options.group}, partitions [${partitions.join(",")}]\n`),
          onProgress: (current) => {
            if (Date.now() - lastReport < 2_000) return;
            lastReport = Date.now();
            const lag = [...current.lag.values()].reduce((sum, value) => sum + value, 0);
            context.stderr(
              `consume: ${current.records} records, ${current.pairs} pairs, ${current.invalid} invalid, lag ${lag}\n`,
            );
          },
        });
        context.stderr(
          `consume: stopped after ${metrics.records} records: ${metrics.pairs} pairs, ${metrics.unpaired} unpaired, ${metrics.invalid} invalid, ${metrics.storeRetries} store retries\n`,
        );
        // --idle-exit means "the topic is drained": records known to be left unread contradict it.
        const lag = [...metrics.lag.values()].reduce((sum, value) => sum + value, 0);
        if (!shutdown.signal.aborted && options.idleExit !== undefined && lag > 0) {
          context.stderr(
            `consume: ${lag} record(s) still unread (lag) when it went idle; not a complete run\n`,
          );
          exitCode = EXIT.infrastructure;
        }
      } finally {
        shutdown.dispose();
        server?.close();
        for (const capture of candidates) capture.close();
        await threads?.close();
        await store.close();
      }
      return exitCode;
    }),
  );
}
