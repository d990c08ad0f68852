import type { Command } from "commander";
import { gateVerdict, loadPolicy } from "../../api/gate-verdict.js";
import type { GateVerdict } from "../../gate/verdict.js";
import { renderGithub, renderJunit, renderMarkdown } from "../../render/verdict-text.js";
import { type CliContext, loadCommandConfig } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { writeOutputFile } from "../output-file.js";
import { openReadableStore } from "../readable-store.js";
import { windowOf, windowOptions } from "../shared-options.js";
import { storeOptions, storeSettings } from "../store-options.js";

const gateOptions = {
  candidate: option({
    flags: "--candidate <release>",
    description: "candidate release: id, name or name@version",
    required: true,
  }),
  baseline: option({
    flags: "--baseline <release>",
    description: "baseline release (default: the one with most pairs)",
  }),
  policy: option({
    flags: "--policy <file>",
    description: "gate policy (YAML/JSON)",
    env: "SHADOWDIFF_POLICY",
    required: true,
  }),
  ...windowOptions,
  sequential: option<boolean>({
    flags: "--sequential",
    description:
      "always-valid bounds for every guardrail: safe to check repeatedly during a canary; with the policy's consecutive, promote only after K promotes in a row",
  }),
  format: option<"json" | "junit" | "markdown" | "github">({
    flags: "--format <format>",
    description: "output format (json is canonical)",
    choices: ["json", "junit", "markdown", "github"],
    defaultValue: "json",
  }),
  out: option({
    flags: "--out <file>",
    defaultText: "stdout",
    description: "write the verdict to a file instead of stdout",
  }),
  ...storeOptions,
} as const;

export function registerGate(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const command = program
    .command("gate")
    .description("promote / hold / fail a candidate against a policy of guardrails")
    .addHelpText(
      "after",
      `
Exit codes: 0 promote, 1 fail, 3 hold (inconclusive), 2 bad usage or policy, 4 store error.
Example:
  shadowdiff gate --candidate support-agent@1.5.0-rc.1 --policy fixtures/releases/gate.yaml --format junit --out gate.xml`,
    );
  addOptions(command, gateOptions);
  command.action(() =>
    run(async () => {
      const options = readOptions(
        command,
        gateOptions,
        await loadCommandConfig(command, context.env),
        context.env,
      );
      const policy = await loadPolicy(options.policy);
      const store = await openReadableStore(storeSettings(options));
      let verdict: GateVerdict;
      try {
        verdict = await gateVerdict(store, policy, {
          candidate: options.candidate,
          ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
          sequential: options.sequential === true,
          ...windowOf(options),
        });
      } finally {
        await store.close();
      }
      const text =
        options.format === "junit"
          ? renderJunit(verdict)
          : options.format === "markdown"
            ? renderMarkdown(verdict)
            : options.format === "github"
              ? renderGithub(verdict)
              : `${JSON.stringify(verdict, null, 2)}\n`;
      if (options.out === undefined) context.stdout(text);
      else await writeOutputFile(options.out, text);
      context.stderr(`shadowdiff gate: ${verdict.verdict}\n`);
      return verdict.verdict === "promote" ? EXIT.ok : verdict.verdict === "hold" ? EXIT.hold : EXIT.fail;
    }),
  );
}
