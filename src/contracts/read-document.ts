import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { ShadowdiffError } from "./errors.js";

/**
 * Reads a YAML or JSON document (rules, policy, manifest). YAML is a superset of JSON, so one
 * parser reads both. Lives with the contracts so the pure stages that interpret documents never
 * touch the file system themselves.
 */
export async function readDocument(path: string, kind: "rules" | "policy" | "manifest"): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new ShadowdiffError("FILE_NOT_FOUND", `${kind} file not found: ${path}`, {
      context: { source: path },
      cause,
    });
  }
  try {
    return parseYaml(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const code =
      kind === "rules" ? "INVALID_RULES" : kind === "policy" ? "INVALID_POLICY" : "INVALID_MANIFEST";
    throw new ShadowdiffError(code, `${path}: not valid YAML or JSON (${reason})`, {
      context: { source: path },
      cause,
    });
  }
}
