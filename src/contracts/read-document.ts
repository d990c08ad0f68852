import { readFile } from "node:fs/promises";
import { ShadowdiffError } from "./errors.js";
import { type DocumentKind, parseDocumentText } from "./parse-document.js";

/** Reads a YAML or JSON document (rules, policy, manifest) from a file: see `parseDocumentText`. */
export async function readDocument(path: string, kind: DocumentKind): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new ShadowdiffError("FILE_NOT_FOUND", `${kind} file not found: ${path}`, {
      context: { source: path },
      cause,
    });
  }
  return parseDocumentText(text, path, kind);
}
