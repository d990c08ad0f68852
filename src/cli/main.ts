import { Command, CommanderError } from "commander";
import { isShadowdiffError } from "../contracts/errors.js";
import { registerCollect } from "./commands/collect.js";
import { registerConsume } from "./commands/consume.js";
import { registerDb } from "./commands/db.js";
import { registerDiff } from "./commands/diff.js";
import { registerGate } from "./commands/gate.js";
import { registerHarvest } from "./commands/harvest.js";
import { registerJudge } from "./commands/judge.js";
import { registerRelease } from "./commands/release.js";
import { registerReplay } from "./commands/replay.js";
import { registerReport } from "./commands/report.js";
import { registerRun } from "./commands/run.js";
import { registerServe } from "./commands/serve.js";
import type { CliContext } from "./context.js";
import { EXIT, exitCodeForError } from "./exit-codes.js";
import { packageVersion } from "./version.js";

/** Builds the program; every action resolves to an exit code through `run`. */
export function buildProgram(context: CliContext, onExit: (code: number) => void): Command {
  const program = new Command("shadowdiff")
    .description("Prove a new agent release on real traffic before any user sees it.")
    .version(packageVersion(), "-V, --version", "print the version")
    .option(
      "--config <file>",
      "config file: one section per command, keys as the flags [env SHADOWDIFF_CONFIG]",
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: context.stdout, writeErr: context.stderr });
  const run = (action: () => Promise<number>) =>
    action().then(onExit, (error: unknown) => {
      onExit(reportError(error, context));
    });
  registerDiff(program, context, run);
  registerRun(program, context, run);
  registerReport(program, context, run);
  registerGate(program, context, run);
  registerJudge(program, context, run);
  registerHarvest(program, context, run);
  registerServe(program, context, run);
  registerConsume(program, context, run);
  registerCollect(program, context, run);
  registerReplay(program, context, run);
  registerRelease(program, context, run);
  registerDb(program, context, run);
  return program;
}

function reportError(error: unknown, context: CliContext): number {
  if (isShadowdiffError(error)) {
    context.stderr(`shadowdiff: ${error.message}\n`);
    return exitCodeForError(error.code);
  }
  const file = fileProblem(error);
  if (file !== undefined) {
    context.stderr(`shadowdiff: ${file}\n`);
    return EXIT.usage;
  }
  context.stderr(
    `shadowdiff: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.infrastructure;
}

/** Runs the CLI with the process's streams; resolves to the exit code. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  return new Promise<number>((resolve) => {
    const program = buildProgram(context, resolve);
    try {
      program.parse([...argv], { from: "user" });
      // A parse with no action (e.g. `release` alone) prints help and leaves nothing pending.
      if (program.args.length === 0) {
        program.outputHelp();
        resolve(EXIT.usage);
      }
    } catch (error) {
      if (error instanceof CommanderError) {
        resolve(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
        return;
      }
      resolve(reportError(error, context));
    }
  });
}

const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EEXIST: "already exists",
  EROFS: "read-only file system",
};

/**
 * A file the user named that cannot be read or written (a directory given as a capture, an
 * `--out` under a file) is their mistake to fix, not an infrastructure failure: one line naming
 * the path, exit 2. Anything else stays an unexpected error with its stack.
 */
function fileProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === undefined || path === undefined) return undefined;
  const problem = FILE_PROBLEMS[code];
  return problem === undefined ? undefined : `${path}: ${problem}`;
}
