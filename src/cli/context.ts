import type { Command } from "commander";
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
  if (document === null || typeof document !== "object") return {};
  const section = (document as Record<string, unknown>)[commandPath(command)];
  return section !== null && typeof section === "object" ? (section as Record<string, unknown>) : {};
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
