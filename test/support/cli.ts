import type { CliContext } from "../../src/cli/context.js";
import { runCli } from "../../src/cli/main.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured streams, as `shadowdiff <argv>` would run. */
export async function runShadowdiff(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const context: CliContext = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    interactive: false,
  };
  const code = await runCli(argv, context);
  return { code, stdout, stderr };
}
