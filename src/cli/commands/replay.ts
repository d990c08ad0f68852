import type { Command } from "commander";
import { replay } from "../../api/replay.js";
import { ShadowdiffError } from "../../contracts/errors.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { kafkaClient, kafkaOptions, shutdownSignal } from "../kafka-options.js";
import { wholeNumber } from "../option-parsers.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { progressReporter } from "../progress.js";

const replayOptions = {
  topic: option({ flags: "--topic <topic>", description: "topic to produce to", required: true }),
  file: option({
    flags: "--file <capture>",
    description: "capture file (JSONL exchange records)",
    required: true,
  }),
  rate: option<number>({
    flags: "--rate <n>",
    defaultText: "as fast as the broker takes them",
    description: "records per second (e.g. 500 or 500/s)",
    parse: parseRate,
  }),
  speed: option<number>({
    flags: "--speed <factor>",
    defaultText: "off: --rate applies",
    description: "keep the original gaps between timestamps, sped up (2x = twice as fast)",
    parse: parseSpeed,
  }),
  loop: option<boolean>({ flags: "--loop", description: "start over at the end of the file until stopped" }),
  limit: option<number>({
    flags: "--limit <n>",
    defaultText: "the whole file",
    description: "stop after this many records",
    parse: wholeNumber(1),
  }),
  partitions: option<number>({
    flags: "--partitions <n>",
    defaultText: "the broker's num.partitions",
    description: "create the topic with this many partitions when it does not exist",
    parse: wholeNumber(1),
  }),
  ...kafkaOptions,
} as const;

export function registerReplay(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("replay")
    .description("produce a capture file to a Kafka topic, keyed by session")
    .addHelpText(
      "after",
      "\nExample:\n  shadowdiff replay --file fixtures/captures/baseline.jsonl --topic agent.exchanges --rate 200/s --brokers host:9092",
    );
  addOptions(command, replayOptions);
  command.action(() =>
    run(async () => {
      const options = readOptions(
        command,
        replayOptions,
        await loadCommandConfig(command, context.env),
        context.env,
      );
      if (options.rate !== undefined && options.speed !== undefined) {
        throw new ShadowdiffError("BAD_USAGE", "give --rate or --speed, not both");
      }
      const kafka = kafkaClient(options, context.env);
      if (options.partitions !== undefined) {
        const admin = kafka.admin();
        await admin.connect();
        try {
          const existing = await admin.listTopics();
          if (!existing.includes(options.topic)) {
            await admin.createTopics({
              topics: [{ topic: options.topic, numPartitions: options.partitions }],
              waitForLeaders: true,
            });
          }
        } finally {
          await admin.disconnect();
        }
      }
      const progress = progressReporter(context, "replay");
      const shutdown = shutdownSignal((name) => context.stderr(`\nreplay: ${name}, stopping\n`));
      try {
        const summary = await replay({
          kafka,
          topic: options.topic,
          file: options.file,
          ...(options.rate === undefined ? {} : { rate: options.rate }),
          ...(options.speed === undefined ? {} : { speed: options.speed }),
          ...(options.loop ? { loop: true } : {}),
          ...(options.limit === undefined ? {} : { limit: options.limit }),
          signal: shutdown.signal,
          onProgress: (sent) => progress.update(`${sent} records`),
        });
        progress.done();
        context.stderr(
          `replayed ${summary.sent} records from ${options.file} to ${options.topic} in ${summary.seconds.toFixed(1)} s` +
            ` (${Math.round(summary.sent / Math.max(summary.seconds, 0.001))}/s, ${summary.passes} pass(es)` +
            `${summary.unparseable > 0 ? `, ${summary.unparseable} unparseable line(s) sent as-is` : ""})\n`,
        );
      } finally {
        shutdown.dispose();
      }
      return EXIT.ok;
    }),
  );
}

function parseRate(raw: string): number {
  const rate = Number(raw.replace(/\/s$/, ""));
  if (!(rate > 0))
    throw new ShadowdiffError("BAD_USAGE", `--rate ${raw}: expected a positive number per second`);
  return rate;
}

function parseSpeed(raw: string): number {
  const speed = Number(raw.replace(/x$/, ""));
  if (!(speed > 0)) throw new ShadowdiffError("BAD_USAGE", `--speed ${raw}: expected a factor such as 2x`);
  return speed;
}
