import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ShadowdiffError } from "../contracts/errors.js";

/**
 * Writes a command's `--out` file, creating missing parent directories: a verdict or report
 * computed and then lost because `reports/` did not exist helps nobody.
 */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  if (path.trim() === "") throw new ShadowdiffError("BAD_USAGE", "--out: expected a file path, got ''");
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") {
      throw new ShadowdiffError("BAD_USAGE", `--out ${path}: ${dirname(path)} is a file, not a directory`, {
        cause,
      });
    }
    throw cause;
  }
  await writeFile(path, text);
}
