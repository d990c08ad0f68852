import { loadPolicy } from "../../src/api/gate-verdict.js";
import { isShadowdiffError } from "../../src/contracts/errors.js";

/**
 * Loads each policy file named on the command line, one after another in this process, and prints
 * one JSON line per file: what a CLI run that reads several documents does. Run in a child process
 * by policy.test.ts, because a failure here may take the whole process down.
 */
for (const path of process.argv.slice(2)) {
  try {
    await loadPolicy(path);
    process.stdout.write(`${JSON.stringify({ path, loaded: true })}\n`);
  } catch (error) {
    const code = isShadowdiffError(error) ? error.code : "not a ShadowdiffError";
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(`${JSON.stringify({ path, code, located: message.startsWith(`${path}: `) })}\n`);
  }
}
