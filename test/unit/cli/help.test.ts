import { access } from "node:fs/promises";
import type { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../../src/cli/main.js";
import { runShadowdiff } from "../../support/cli.js";

/** Every command of the CLI, subcommands included, as commander built them. */
function commands(): Command[] {
  const program = buildProgram({ stdout: () => {}, stderr: () => {}, env: {}, interactive: false }, () => {});
  const all: Command[] = [];
  const visit = (command: Command) => {
    for (const child of command.commands) {
      all.push(child);
      visit(child);
    }
  };
  visit(program);
  return all;
}

function fullName(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent)
    names.unshift(current.name());
  return names.join(" ");
}

/** An option that takes a value and is not required must say what happens without it. */
function needsDefault(option: Option): boolean {
  return (option.required || option.optional) && !option.mandatory && option.long !== "--help";
}

describe("shadowdiff --help", () => {
  it("shows the default of every option that takes a value", () => {
    const missing: string[] = [];
    for (const command of commands()) {
      for (const option of command.options) {
        if (needsDefault(option) && !/\((default: [^)]+|required)\)/.test(option.description)) {
          missing.push(`${fullName(command)} ${option.long}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("prints the package version with --version", async () => {
    const run = await runShadowdiff(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("names only files that exist in its examples", async () => {
    const missing: string[] = [];
    for (const command of commands()) {
      const help =
        command.helpInformation() + ((command as unknown as { _afterHelp?: string })._afterHelp ?? "");
      // Files an example reads (what it writes, like --out gate.xml, need not exist).
      const reads =
        /--(?:policy|rules|release|baseline|candidate|noise|source|file|pricing)[ =](?:file:|release:)?([\w./-]+\.(?:ya?ml|json|jsonl))/g;
      for (const [, path] of help.matchAll(reads)) {
        if (path === undefined) continue;
        try {
          await access(path);
        } catch {
          missing.push(`${fullName(command)}: ${path}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
