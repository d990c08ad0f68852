import type { Command } from "commander";
import { TRAJECTORY_MODES, type TrajectoryMode } from "../../contracts/rules.js";
import { diffCaptures } from "../../pipeline/diff-captures.js";
import { loadRelease } from "../../release/load.js";
import { renderDiffSummary } from "../../render/diff-summary.js";
import type { PairingKey } from "../../sources/capture-pairs.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { progressReporter } from "../progress.js";
import { manifestLoading, manifestRootOptions, readRulesOption, rulesOption } from "../shared-options.js";

const diffOptions = {
  baseline: option({
    flags: "--baseline <file>",
    description: "baseline capture (JSONL exchange records)",
    required: true,
  }),
  candidate: option({
    flags: "--candidate <file>",
    description: "candidate capture, paired by id and replica",
    required: true,
  }),
  noise: option({
    flags: "--noise <file>",
    defaultText: "none: raw counts only",
    description: "A/A capture: the baseline release re-run on the same requests",
  }),
  rules: rulesOption,
  release: option<string[]>({
    flags: "--release <manifest>",
    defaultText: "none: calls are not checked against tool schemas",
    description:
      "release manifest whose tool schemas check the calls of records stamped with it (repeatable)",
    repeatable: true,
  }),
  mode: option<TrajectoryMode>({
    flags: "--mode <mode>",
    description: "trajectory match mode (default: the rules file's, else strict)",
    choices: TRAJECTORY_MODES,
  }),
  pairBy: option<PairingKey>({
    flags: "--pair-by <key>",
    description:
      "pair candidate records with baseline records by id and replica, or by id alone (A/A captures)",
    choices: ["id-and-replica", "id"],
    defaultValue: "id-and-replica",
  }),
  format: option({
    flags: "--format <format>",
    description: "output format",
    choices: ["table", "json"],
    defaultValue: "table",
  }),
  strict: option<boolean>({
    flags: "--strict",
    description: "fail with exit 2 on any invalid or duplicate line, or when the captures hold no records",
  }),
  ...manifestRootOptions,
} as const;

export function registerDiff(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("diff")
    .description("compare a candidate capture with a baseline capture, pair by pair")
    .addHelpText(
      "after",
      "\nExit codes: 0 compared, 2 bad usage or (with --strict) invalid lines.\nExample:\n  shadowdiff diff --baseline base.jsonl --candidate cand.jsonl --noise aa.jsonl --format json",
    );
  addOptions(command, diffOptions);
  command.action(() => run(() => diffAction(command, context)));
}

async function diffAction(command: Command, context: CliContext): Promise<number> {
  const options = readOptions(
    command,
    diffOptions,
    await loadCommandConfig(command, context.env),
    context.env,
  );
  const rules = await readRulesOption(options.rules);
  const releases = await Promise.all(
    (options.release ?? []).map((path) => loadRelease(path, manifestLoading(options))),
  );
  const progress = progressReporter(context, "diff");
  const result = await diffCaptures({
    baseline: options.baseline,
    candidate: options.candidate,
    ...(options.noise === undefined ? {} : { noise: options.noise }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    pairBy: options.pairBy,
    rules,
    releases,
    onProgress: ({ phase, pairs }) =>
      progress.update(`${phase === "noise" ? "A/A noise floor" : "diff"}: ${pairs} pairs`),
  });
  progress.done();
  context.stdout(
    options.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : `${renderDiffSummary(result)}\n`,
  );
  if (
    result.pairs === 0 &&
    result.unpaired.baseline === 0 &&
    result.unpaired.candidate === 0 &&
    result.invalid === 0
  ) {
    context.stderr(`shadowdiff diff: ${options.baseline} and ${options.candidate} hold no records\n`);
    if (options.strict) return EXIT.usage;
  }
  if (options.strict && result.invalid > 0) {
    context.stderr(`shadowdiff diff: ${result.invalid} invalid line(s) and --strict is set\n`);
    return EXIT.usage;
  }
  return EXIT.ok;
}
