import type { Command } from "commander";
import { isShadowdiffError } from "../../contracts/errors.js";
import { readDocument } from "../../contracts/read-document.js";
import { lintRelease } from "../../release/lint.js";
import { loadRelease } from "../../release/load.js";
import { diffReleases } from "../../release/release-diff.js";
import { renderReleaseDiff } from "../../render/release-diff.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { addOptions, option, readOptions } from "../option-table.js";
import { manifestLoading, manifestRootOptions } from "../shared-options.js";

const formatOption = {
  format: option<"table" | "json">({
    flags: "--format <format>",
    description: "output format",
    choices: ["table", "json"],
    defaultValue: "table",
  }),
} as const;

export function registerRelease(
  program: Command,
  context: CliContext,
  run: (action: () => Promise<number>) => void,
): void {
  const release = program
    .command("release")
    .description("release manifests: content ids, lint, and what changed between two releases");

  const hash = release
    .command("hash <manifest>")
    .description("print the release's content id (sha256 of model, prompt, tools, memory and config)");
  addOptions(hash, { ...formatOption, ...manifestRootOptions });
  hash.action((manifest: string) =>
    run(async () => {
      const options = readOptions(hash, { ...formatOption, ...manifestRootOptions }, {}, context.env);
      const { format } = options;
      const resolved = await loadRelease(manifest, manifestLoading(options));
      context.stdout(
        format === "json"
          ? `${JSON.stringify({ id: resolved.id, name: resolved.name, version: resolved.version, model: `${resolved.model.provider}/${resolved.model.snapshot}`, source: manifest })}\n`
          : `${resolved.id}\n`,
      );
      return EXIT.ok;
    }),
  );

  const lint = release.command("lint <manifest...>");
  addOptions(lint, manifestRootOptions);
  lint
    .description("check manifests: pinned model snapshot, valid tool schemas, prompt and tools agree")
    .addHelpText(
      "after",
      "\nExit codes: 0 clean, 1 findings (one line each), 2 a manifest cannot be read.\nExample:\n  shadowdiff release lint releases/*.yaml",
    )
    .action((manifests: string[]) =>
      run(async () => {
        const options = readOptions(lint, manifestRootOptions, {}, context.env);
        let findings = 0;
        let unreadable = 0;
        let skipped = 0;
        for (const manifest of manifests) {
          try {
            // A glob over a release folder also takes the gate policy kept beside the manifests.
            if (await isGatePolicy(manifest)) {
              skipped++;
              context.stdout(`${manifest}: skipped: a gate policy, not a release manifest\n`);
              continue;
            }
            for (const finding of lintRelease(await loadRelease(manifest, manifestLoading(options)))) {
              findings++;
              context.stdout(`${manifest}: ${finding.rule} ${finding.path}: ${finding.message}\n`);
            }
          } catch (error) {
            if (!isShadowdiffError(error)) throw error;
            unreadable++;
            context.stdout(`${manifest}: not a valid manifest: ${error.message}\n`);
          }
        }
        context.stderr(
          `release lint: ${manifests.length - skipped} manifest(s), ${findings} finding(s)${unreadable > 0 ? `, ${unreadable} not valid` : ""}${skipped > 0 ? `, ${skipped} policy file(s) skipped` : ""}\n`,
        );
        if (unreadable > 0) return EXIT.usage;
        return findings > 0 ? EXIT.fail : EXIT.ok;
      }),
    );

  const diff = release
    .command("diff <a> <b>")
    .description("show which components changed: model pin, prompt lines, tools, memory schema, config");
  addOptions(diff, { ...formatOption, ...manifestRootOptions });
  diff.action((a: string, b: string) =>
    run(async () => {
      const options = readOptions(diff, { ...formatOption, ...manifestRootOptions }, {}, context.env);
      const { format } = options;
      const loading = manifestLoading(options);
      const result = diffReleases(await loadRelease(a, loading), await loadRelease(b, loading));
      context.stdout(format === "json" ? `${JSON.stringify(result, null, 2)}\n` : renderReleaseDiff(result));
      return EXIT.ok;
    }),
  );
}

/** A YAML/JSON document with `guardrails` is a gate policy (see gate/policy.ts), not a manifest. */
async function isGatePolicy(path: string): Promise<boolean> {
  try {
    const document = await readDocument(path, "manifest");
    return document !== null && typeof document === "object" && "guardrails" in document;
  } catch {
    // Unreadable: loadRelease reports it with its own located message.
    return false;
  }
}
