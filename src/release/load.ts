import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { compileContract, firstErrorPath, formatSchemaErrors } from "../contracts/ajv.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { readDocument } from "../contracts/read-document.js";
import {
  type ReleaseManifestFile,
  type ResolvedRelease,
  releaseManifestJsonSchema,
  type ToolDefinition,
  type ToolSource,
} from "../contracts/release.js";
import { releaseContentId } from "./content-id.js";

const validateManifest = compileContract<ReleaseManifestFile>(releaseManifestJsonSchema);

/**
 * Loads a release manifest (YAML or JSON) and reads in the prompt and tool-schema files it points
 * to (paths relative to the manifest), so the content id covers what the files say, not their names.
 */
export async function loadRelease(path: string): Promise<ResolvedRelease> {
  const document = await readDocument(path, "manifest");
  if (!validateManifest(document)) {
    throw new ShadowdiffError("INVALID_MANIFEST", `${path}: ${formatSchemaErrors(validateManifest.errors)}`, {
      context: { source: path, path: firstErrorPath(validateManifest.errors) },
    });
  }
  const manifest = document;
  const baseDir = dirname(path);
  const prompt =
    "text" in manifest.prompt
      ? manifest.prompt.text
      : await readReferenced(path, baseDir, manifest.prompt.file, "/prompt/file");
  const tools: Record<string, ToolDefinition> = {};
  for (const [name, source] of Object.entries(manifest.tools).sort(([a], [b]) => (a < b ? -1 : 1))) {
    tools[name] = await resolveTool(path, baseDir, name, source);
  }
  const content = {
    model: manifest.model,
    prompt,
    tools,
    memory: manifest.memory === undefined ? null : manifest.memory,
    config: manifest.config ?? {},
  };
  return {
    id: releaseContentId(content),
    name: manifest.name,
    version: String(manifest.version),
    ...content,
    metadata: manifest.metadata ?? {},
    endpoint: manifest.endpoint ?? {},
    source: path,
  };
}

async function resolveTool(
  manifestPath: string,
  baseDir: string,
  name: string,
  source: ToolSource,
): Promise<ToolDefinition> {
  if (!("file" in source)) return source;
  const pointer = `/tools/${name}/file`;
  const text = await readReferenced(manifestPath, baseDir, source.file, pointer);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ShadowdiffError(
      "INVALID_MANIFEST",
      `${manifestPath}: ${pointer}: ${source.file} is not valid JSON (${(cause as Error).message})`,
      { context: { source: manifestPath, path: pointer }, cause },
    );
  }
  if (!isObject(parsed) || !isObject(parsed.parameters)) {
    throw new ShadowdiffError(
      "INVALID_MANIFEST",
      `${manifestPath}: ${pointer}: ${source.file} must hold {"description"?, "parameters": {...}}`,
      { context: { source: manifestPath, path: pointer } },
    );
  }
  return typeof parsed.description === "string"
    ? { description: parsed.description, parameters: parsed.parameters }
    : { parameters: parsed.parameters };
}

async function readReferenced(
  manifestPath: string,
  baseDir: string,
  file: string,
  pointer: string,
): Promise<string> {
  try {
    return await readFile(resolve(baseDir, file), "utf8");
  } catch (cause) {
    throw new ShadowdiffError("FILE_NOT_FOUND", `${manifestPath}: ${pointer}: cannot read ${file}`, {
      context: { source: manifestPath, path: pointer },
      cause,
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
