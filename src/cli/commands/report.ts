import type { Command } from "commander";
import { loadPolicy } from "../../api/gate-verdict.js";
import { reportForOutput } from "../../api/report.js";
import { renderHtml } from "../../render/report-html.js";
import { renderReport } from "../../render/report-text.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { wholeNumber } from "../option-parsers.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { writeOutputFile } from "../output-file.js";
import { openReadableStore } from "../readable-store.js";
import { windowOf, windowOptions } from "../shared-options.js";
import { storeOptions, storeSettings } from "../store-options.js";

const reportOptions = {
  candidate: option({
    flags: "--candidate <release>",
    description: "candidate release: id, name, or name@version",
    env: "SHADOWDIFF_CANDIDATE",
    required: true,
  }),
  baseline: option({
    flags: "--baseline <release>",
    description: "baseline release (default: the one the candidate has most pairs against)",
  }),
  by: option({
    flags: "--by <labels>",
    defaultText: "no segments",
    description: "segment by these labels, comma-separated (tenant,intent)",
  }),
  ...windowOptions,
  minPairs: option<number>({
    flags: "--min-pairs <n>",
    description: "segments with fewer pairs say so instead of printing rates",
    defaultValue: 30,
    parse: wholeNumber(1),
  }),
  policy: option({
    flags: "--policy <file>",
    defaultText: "no verdict",
    description: "html: show this gate policy's verdict on top",
  }),
  format: option<"terminal" | "markdown" | "json" | "html">({
    flags: "--format <format>",
    description: "output format (html: one self-contained file, use with --out)",
    choices: ["terminal", "markdown", "json", "html"],
    defaultValue: "terminal",
  }),
  out: option({
    flags: "--out <file>",
    defaultText: "stdout",
    description: "write the report to a file instead of stdout",
  }),
  ...storeOptions,
} as const;

export function registerReport(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("report")
    .description("drift report of a candidate against its baseline, with paired statistics")
    .addHelpText(
      "after",
      `
Example:
  shadowdiff report --candidate support-agent@1.5.0-rc.1 --by tenant,intent --format markdown --out reports/drift.md`,
    );
  addOptions(command, reportOptions);
  command.action(() =>
    run(async () => {
      const options = readOptions(
        command,
        reportOptions,
        await loadCommandConfig(command, context.env),
        context.env,
      );
      const store = await openReadableStore(storeSettings(options));
      try {
        const policy =
          options.format === "html" && options.policy !== undefined
            ? await loadPolicy(options.policy)
            : undefined;
        const { report, verdict, releaseDiff } = await reportForOutput(store, {
          candidate: options.candidate,
          ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
          by:
            options.by
              ?.split(",")
              .map((label) => label.trim())
              .filter(Boolean) ?? [],
          ...windowOf(options),
          minPairs: options.minPairs,
          ...(policy === undefined ? {} : { policy }),
          withReleaseDiff: options.format === "html",
        });
        const text =
          options.format === "html"
            ? renderHtml(report, verdict, releaseDiff)
            : options.format === "json"
              ? `${JSON.stringify(report, null, 2)}\n`
              : renderReport(report, options.format);
        if (options.out === undefined) context.stdout(text);
        else {
          await writeOutputFile(options.out, text);
          context.stderr(`report written to ${options.out}\n`);
        }
      } finally {
        await store.close();
      }
      return EXIT.ok;
    }),
  );
}
