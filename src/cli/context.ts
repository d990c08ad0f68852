import type { Command } from "commander";
import { ShadowdiffError } from "../contracts/errors.js";
import { readDocument } from "../contracts/read-document.js";

/** What a command needs from the outside world, passed in so commands stay testable in-process. */
export interface CliContext {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal: progress is drawn only there. */
  readonly interactive: boolean;
}

/** A command's action: resolves to the exit code. Only main.ts turns it into process.exit. */
export type CommandAction = (command: Command) => Promise<number>;

/**
 * The config file (`--config` or SHADOWDIFF_CONFIG) holds one section per command, keyed by the
 * command's path (`diff`, `release lint`), with the same keys as the flags (`candidate`, `mode`).
 */
export async function loadCommandConfig(
  command: Command,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, unknown>> {
  const root = rootOf(command);
  const path = (root.opts().config as string | undefined) ?? env.SHADOWDIFF_CONFIG;
  if (path === undefined) return {};
  const document = await readDocument(path, "rules");
  if (document === null) return {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new ShadowdiffError("BAD_USAGE", `${path}: expected one section per command (diff:, report:, …)`);
  }
  // A misspelt section or key would otherwise be ignored silently, and the default used.
  const sections = commandPaths(root);
  for (const name of Object.keys(document)) {
    if (!sections.has(name)) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `${path}: '${name}' is not a command (sections: ${[...sections].sort().join(", ")})`,
      );
    }
  }
  const section = (document as Record<string, unknown>)[commandPath(command)];
  if (section === undefined || section === null) return {};
  if (typeof section !== "object" || Array.isArray(section)) {
    throw new ShadowdiffError(
      "BAD_USAGE",
      `${path}: section '${commandPath(command)}' must map option names to values`,
    );
  }
  const keys = new Set(
    command.options.flatMap((option) => [option.attributeName(), (option.long ?? "").replace(/^--/, "")]),
  );
  for (const key of Object.keys(section)) {
    if (!keys.has(key)) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `${path}: ${commandPath(command)}.${key} is not an option of '${commandPath(command)}' (see shadowdiff ${commandPath(command)} --help)`,
      );
    }
  }
  return section as Record<string, unknown>;
}

/** Every command path a config file may have a section for (`report`, `db migrate`). */
function commandPaths(root: Command): Set<string> {
  const paths = new Set<string>();
  const visit = (command: Command) => {
    for (const child of command.commands) {
      paths.add(commandPath(child));
      visit(child);
    }
  };
  visit(root);
  return paths;
}

function rootOf(command: Command): Command {
  let current = command;
  while (current.parent) current = current.parent;
  return current;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent)
    names.unshift(current.name());
  return names.join(" ");
}
