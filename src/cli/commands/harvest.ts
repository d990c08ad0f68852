import type { Command } from "commander";
import { PAIR_CATEGORIES } from "../../contracts/categories.js";
import { ShadowdiffError } from "../../contracts/errors.js";
import { EXPORT_FORMATS, type ExportFormat } from "../../harvest/exporters.js";
import { harvest } from "../../pipeline/harvest.js";
import { openStore } from "../../store/open-store.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { addOptions, option, readOptions } from "../option-table.js";
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
    parse: Number,
  }),
  categories: option({
    flags: "--categories <list>",
    description: "categories to harvest, comma-separated (default: the drift categories)",
    parse: parseCategories,
  }),
  stratifyBy: option({
    flags: "--stratify-by <label>",
    description: "segment label the selection spreads across",
    defaultValue: "intent",
  }),
  redactPath: option<string[]>({
    flags: "--redact-path <pointer>",
    description: "JSON path replaced whole in every case (repeatable), on top of e-mail/phone/card scrubbing",
    repeatable: true,
  }),
  out: option({
    flags: "--out <dir>",
    description: "bench directory to merge into",
    defaultValue: "bench/cases",
  }),
  format: option<ExportFormat>({
    flags: "--format <format>",
    description: "native bench JSONL, or an eval tool's import shape",
    choices: EXPORT_FORMATS,
    defaultValue: "native",
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
      "\nExample:\n  shadowdiff harvest --candidate support-agent@1.5.0-rc.1 --limit 50 --out bench/ --format langfuse",
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
      const store = await openStore(storeSettings(options));
      try {
        const result = await harvest(store, {
          candidate: options.candidate,
          limit: options.limit,
          ...(options.categories === undefined ? {} : { categories: options.categories }),
          stratifyBy: options.stratifyBy,
          ...(options.redactPath === undefined ? {} : { redactPaths: options.redactPath }),
          out: options.out,
          format: options.format,
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

/** Divergent categories only: an identical pair has nothing to learn from, and keeps no records. */
function parseCategories(list: string): string[] {
  const divergent = PAIR_CATEGORIES.filter((category) => category !== "identical");
  const categories = list.split(",").map((item) => item.trim());
  for (const category of categories) {
    if (!(divergent as readonly string[]).includes(category)) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `--categories: '${category}' is not a divergent category (one of ${divergent.join(", ")})`,
      );
    }
  }
  return categories;
}
