import { statSync } from "node:fs";
import type { Command } from "commander";
import { divergentCategories, harvest } from "../../api/harvest.js";
import { EXPORT_FORMATS, type ExportFormat } from "../../harvest/exporters.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { wholeNumber } from "../option-parsers.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { openReadableStore } from "../readable-store.js";
import { storeOptions, storeSettings } from "../store-options.js";

const harvestOptions = {
  candidate: option({
    flags: "--candidate <release>",
    description: "candidate release: id, name or name@version",
    required: true,
  }),
  limit: option<number>({
    flags: "--limit <n>",
    description: "cases to select",
    defaultValue: 50,
    parse: wholeNumber(1),
  }),
  categories: option({
    flags: "--categories <list>",
    description: "categories to harvest, comma-separated (default: the drift categories)",
    parse: (list) =>
      divergentCategories(
        list.split(",").map((item) => item.trim()),
        "--categories",
      ),
  }),
  stratifyBy: option({
    flags: "--stratify-by <label>",
    description: "segment label the selection spreads across",
    defaultValue: "intent",
  }),
  redactPath: option<string[]>({
    flags: "--redact-path <pointer>",
    defaultText: "none",
    description:
      "JSON pointer into each exchange record (/request/metadata/ip, /labels/account) replaced whole (repeatable), on top of e-mail/phone/card scrubbing",
    repeatable: true,
  }),
  out: option({
    flags: "--out <dir>",
    description: "bench directory to merge into",
    // Beside the default store, not in a repository's bench/ (benchmarks live there).
    defaultValue: "./.shadowdiff/eval-bench",
    parse: benchDirectory,
  }),
  format: option<ExportFormat>({
    flags: "--format <format>",
    description: "native bench JSONL, or an eval tool's import shape",
    choices: EXPORT_FORMATS,
    defaultValue: "native",
  }),
  dataset: option({
    flags: "--dataset <name>",
    description: "--format langfuse: the dataset each item names (datasetName)",
    defaultText: "the --out folder's name",
  }),
  ...storeOptions,
} as const;

export function registerHarvest(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("harvest")
    .description(
      "collect divergent cases into an eval bench: stratified, deduplicated, redacted, with provenance",
    )
    .addHelpText(
      "after",
      "\nExample:\n  shadowdiff harvest --candidate support-agent@1.5.0-rc.1 --limit 50 --out eval-bench/support --format langfuse --dataset support-regressions",
    );
  addOptions(command, harvestOptions);
  command.action(() =>
    run(async () => {
      const options = readOptions(
        command,
        harvestOptions,
        await loadCommandConfig(command, context.env),
        context.env,
      );
      const store = await openReadableStore(storeSettings(options));
      try {
        const result = await harvest(store, {
          candidate: options.candidate,
          limit: options.limit,
          ...(options.categories === undefined ? {} : { categories: options.categories }),
          stratifyBy: options.stratifyBy,
          ...(options.redactPath === undefined ? {} : { redactPaths: options.redactPath }),
          out: options.out,
          format: options.format,
          ...(options.dataset === undefined ? {} : { dataset: options.dataset }),
        });
        context.stderr(
          `harvest: ${result.selected} case(s) selected, ${result.added} added to ${result.file}, ${result.alreadyThere} already there, ${result.noiseOnlySkipped} noise-only pair(s) left out\n`,
        );
      } finally {
        await store.close();
      }
      return EXIT.ok;
    }),
  );
}

/** The bench is a directory: not empty, not an existing file (`/dev/null`, a capture). */
function benchDirectory(raw: string): string {
  if (raw.trim() === "") throw new RangeError("expected a directory, got ''");
  try {
    if (!statSync(raw).isDirectory()) throw new RangeError(`${raw} exists and is not a directory`);
  } catch (error) {
    if (error instanceof RangeError) throw error;
    // Missing: harvest creates it.
  }
  return raw;
}
