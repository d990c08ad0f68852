import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import { buildReport } from "../../analyze/report.js";
import { readPricing } from "../../contracts/read-pricing.js";
import { redactReport } from "../../harvest/redact.js";
import { loadJudge } from "../../judge/load-judge.js";
import { DeadLetterFile } from "../../pipeline/dead-letter.js";
import { JudgeStage } from "../../pipeline/judge-stage.js";
import { storeJudgements } from "../../pipeline/judge-stored.js";
import { judgingWriter } from "../../pipeline/judging-writer.js";
import { runCaptures } from "../../pipeline/run-captures.js";
import { runExecuted } from "../../pipeline/run-executed.js";
import { loadRelease } from "../../release/load.js";
import { renderReport } from "../../render/report-text.js";
import { migrate } from "../../store/migrate.js";
import { openStore } from "../../store/open-store.js";
import { storePairWriter } from "../../store/pair-writer.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { executionSettings } from "../execution-options.js";
import { EXIT } from "../exit-codes.js";
import { type InputSpec, parseInputSpecs } from "../input-specs.js";
import { judgeSettings, judgeSummaryText } from "../judge-options.js";
import { shutdownSignal } from "../kafka-options.js";
import { addOptions, type OptionValues, readOptions } from "../option-table.js";
import { otlpCapture } from "../otlp-capture.js";
import { progressReporter } from "../progress.js";
import { runOptions } from "../run-options.js";
import { manifestLoading, readRulesOption } from "../shared-options.js";
import { storeSettings } from "../store-options.js";

type RunOptionValues = OptionValues<typeof runOptions>;

/** What a run refuses, and where to go instead. */
const RUN_READS = "only file: and otlp: sources are read by run (Kafka is 'shadowdiff consume')";

export function registerRun(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("run")
    .description("diff recorded candidates against baseline traffic and write every pair to the store")
    .addHelpText(
      "after",
      `
Writes are idempotent: running the same input again replaces the same pairs, and every report
stays the same. Applies pending store migrations first.

Example:
  shadowdiff run --source file:fixtures/captures/baseline.jsonl \\
    --candidate file:fixtures/captures/candidate-model-upgrade.jsonl \\
    --noise file:fixtures/captures/aa.jsonl --release fixtures/releases/baseline.yaml`,
    );
  addOptions(command, runOptions);
  command.action(() => run(() => runAction(command, context)));
}

async function runAction(command: Command, context: CliContext): Promise<number> {
  const options = readOptions(
    command,
    runOptions,
    await loadCommandConfig(command, context.env),
    context.env,
  );
  const onlyFiles = { bare: "file", otherwise: RUN_READS } as const;
  const [sourceSpec] = parseInputSpecs([options.source], "--source", ["file", "otlp"], onlyFiles);
  const candidateSpecs = parseInputSpecs(
    options.candidate,
    "--candidate",
    ["file", "otlp", "release"],
    onlyFiles,
  );
  const [noiseSpec] =
    options.noise === undefined ? [] : parseInputSpecs([options.noise], "--noise", ["file"], onlyFiles);
  const executed = candidateSpecs.filter((spec) => spec.kind === "release").map((spec) => spec.value);
  // otlp: traces become a capture in a temporary folder first, then take the file: path (dead
  // letters keep the OTLP file's lines); the folders go when the run ends.
  const temporary: string[] = [];
  const capturePath = async (spec: InputSpec): Promise<string> => {
    if (spec.kind !== "otlp") return spec.value;
    const capture = await otlpCapture(spec.spec, options.deadLetter);
    temporary.push(dirname(capture.path));
    context.stderr(
      `${spec.spec}: ${capture.records} exchange records${capture.deadLetters > 0 ? `, ${capture.deadLetters} dead letters in ${options.deadLetter}` : ""}\n`,
    );
    return capture.path;
  };
  try {
    const source = await capturePath(sourceSpec as InputSpec);
    const candidates: string[] = [];
    for (const spec of candidateSpecs.filter((candidate) => candidate.kind !== "release"))
      candidates.push(await capturePath(spec));
    return await runInputs(options, context, { source, candidates, executed, noise: noiseSpec?.value });
  } finally {
    for (const directory of temporary) await rm(directory, { recursive: true, force: true });
  }
}

async function runInputs(
  options: RunOptionValues,
  context: CliContext,
  inputs: {
    source: string;
    candidates: readonly string[];
    executed: readonly string[];
    noise: string | undefined;
  },
): Promise<number> {
  const { source, candidates, executed, noise } = inputs;
  const rules = await readRulesOption(options.rules);
  const releases = await Promise.all(
    (options.release ?? []).map((path) => loadRelease(path, manifestLoading(options))),
  );
  const pricing = await readPricing(options.pricing);
  const judge =
    options.judge === undefined
      ? undefined
      : await loadJudge(options.judge, {
          ...manifestLoading(options),
          allowFloating: options.allowFloating === true,
        });
  const store = await openStore(storeSettings(options));
  try {
    await migrate(store);
    const judgeStage =
      judge && new JudgeStage(judge, judgeSettings(options, context.env), pricing, storeJudgements(store));
    const pairWriter = () =>
      judgeStage ? judgingWriter(storePairWriter(store), judgeStage, Date.now()) : storePairWriter(store);
    const progress = progressReporter(context, "run");
    const started = Date.now();
    const candidateIds = new Set<string>();
    let written = 0;
    let invalid = 0;
    let stopped = false;
    // The first SIGTERM/SIGINT stops reading; what was read is written, with its releases.
    const shutdown = shutdownSignal((name) =>
      context.stderr(`run: ${name}, writing what was read and stopping\n`),
    );
    if (candidates.length > 0 || noise !== undefined) {
      const result = await runCaptures({
        source,
        candidates,
        ...(noise === undefined ? {} : { noise }),
        rules,
        releases,
        pricing,
        writer: pairWriter(),
        deadLetters: new DeadLetterFile(options.deadLetter),
        onProgress: ({ input, pairs }) => progress.update(`${input}: ${pairs} pairs`),
        signal: shutdown.signal,
      });
      written += result.written;
      invalid += result.invalid;
      stopped ||= result.stopped;
      for (const input of result.inputs) {
        context.stderr(
          `${input.role} ${input.input}: ${input.pairs} pairs, unpaired ${input.unpaired.baseline} baseline / ${input.unpaired.candidate} candidate\n`,
        );
        if (input.role === "candidate") for (const id of input.releases) candidateIds.add(id);
      }
      if (result.invalid > 0)
        context.stderr(`${result.invalid} invalid record(s) in ${result.deadLetterPath}\n`);
    }
    if (executed.length > 0) {
      const toExecute = await Promise.all(
        executed.map((path) => loadRelease(path, manifestLoading(options))),
      );
      const result = await runExecuted({
        source,
        releases: toExecute,
        settings: executionSettings(options, context.env),
        rules,
        manifests: [...releases, ...toExecute],
        pricing,
        writer: pairWriter(),
        deadLetters: new DeadLetterFile(options.deadLetter),
        onProgress: (done) => progress.update(`executed: ${done} requests`),
        signal: shutdown.signal,
      });
      written += result.written;
      stopped ||= result.stopped;
      context.stderr(
        `executed: ${result.considered} requests, ${result.sampledOut} sampled out, ${result.filteredOut} filtered out\n`,
      );
      if (options.baselineReplay !== undefined) {
        context.stderr(
          `  baseline re-run (A/A): ${result.baselineReplay.pairs} pairs${result.baselineReplay.missingManifest > 0 ? `, ${result.baselineReplay.missingManifest} sampled records without the baseline's manifest (give it with --release)` : ""}\n`,
        );
      }
      for (const summary of result.releases) {
        candidateIds.add(summary.release);
        context.stderr(
          `  ${summary.release}: ${summary.pairs} pairs, ${summary.candidateErrors} candidate errors, ${summary.unrecordedCalls} unrecorded tool calls, skipped ${summary.skippedBudget} (budget) / ${summary.skippedCircuit} (circuit open)\n`,
        );
      }
    }
    progress.done();
    shutdown.dispose();
    if (judge && judgeStage) {
      const name = `${judge.release.name}@${judge.release.version}`;
      context.stderr(judgeSummaryText(name, "the pairs written", judgeStage.summary));
    }
    context.stderr(
      `wrote ${written} pairs to ${store.location} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    if (stopped) {
      context.stderr(
        "run: stopped before the end of its input; the pairs above are stored with their releases. Run the same command again to complete it (pairs replace by key, nothing counts twice)\n",
      );
      return EXIT.interrupted;
    }
    if (written === 0 && invalid === 0) {
      context.stderr(`run: no pairs: ${source} or its candidates hold no records\n`);
      if (options.strict) return EXIT.usage;
    }
    if (options.strict && invalid > 0) {
      context.stderr(`run: ${invalid} invalid line(s) and --strict is set\n`);
      return EXIT.usage;
    }
    if (options.format === "none") return EXIT.ok;
    const by =
      options.by
        ?.split(",")
        .map((label) => label.trim())
        .filter(Boolean) ?? [];
    const reports = [];
    for (const candidate of candidateIds) {
      // Examples leave the store here too: scrubbed as `report` scrubs them.
      const built = await buildReport(store, { candidate, by });
      reports.push(redactReport(built));
    }
    if (options.format === "json") context.stdout(`${JSON.stringify({ reports }, null, 2)}\n`);
    else for (const report of reports) context.stdout(`${renderReport(report, options.format)}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
