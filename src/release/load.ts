import { readFile, realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
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

export interface LoadReleaseOptions {
  /**
   * The directory a manifest's file references must stay inside (default: the manifest's own).
   * A manifest arrives in a pull request and is read with secrets in the environment: a
   * reference to `../../.env` or `/proc/self/environ` would print or send them.
   */
  readonly root?: string;
}

/**
 * Loads a release manifest (YAML or JSON) and reads in the prompt and tool-schema files it points
 * to (paths relative to the manifest, inside its directory or `root`), so the content id covers
 * what the files say, not their names.
 */
export async function loadRelease(path: string, options: LoadReleaseOptions = {}): Promise<ResolvedRelease> {
  const document = await readDocument(path, "manifest");
  if (!validateManifest(document)) {
    throw new ShadowdiffError("INVALID_MANIFEST", `${path}: ${formatSchemaErrors(validateManifest.errors)}`, {
      context: { source: path, path: firstErrorPath(validateManifest.errors) },
    });
  }
  return resolveReleaseManifest(document, path, options);
}

/**
 * A validated manifest with its prompt and tool files read in, and its content id: shared by
 * releases and release-like manifests (the judge's), so both confine their files the same way.
 */
export async function resolveReleaseManifest(
  manifest: ReleaseManifestFile,
  path: string,
  options: LoadReleaseOptions = {},
): Promise<ResolvedRelease> {
  const files: ReferencedFiles = {
    manifestPath: path,
    baseDir: dirname(path),
    root: options.root ?? dirname(path),
  };
  const prompt =
    "text" in manifest.prompt
      ? manifest.prompt.text
      : await readReferenced(files, manifest.prompt.file, "/prompt/file");
  const tools: Record<string, ToolDefinition> = {};
  for (const [name, source] of Object.entries(manifest.tools).sort(([a], [b]) => (a < b ? -1 : 1))) {
    tools[name] = await resolveTool(files, name, source);
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

interface ReferencedFiles {
  readonly manifestPath: string;
  readonly baseDir: string;
  readonly root: string;
}

async function resolveTool(
  files: ReferencedFiles,
  name: string,
  source: ToolSource,
): Promise<ToolDefinition> {
  if (!("file" in source)) return source;
  const { manifestPath } = files;
  const pointer = `/tools/${name}/file`;
  const text = await readReferenced(files, source.file, pointer);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    // Node's JSON.parse message quotes the text around the error: say where, never what.
    const at = /position (\d+)/.exec((cause as Error).message)?.[1];
    throw new ShadowdiffError(
      "INVALID_MANIFEST",
      `${manifestPath}: ${pointer}: ${source.file} is not valid JSON${at === undefined ? "" : ` (at byte ${at})`}`,
      { context: { source: manifestPath, path: pointer } },
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

async function readReferenced(files: ReferencedFiles, file: string, pointer: string): Promise<string> {
  const { manifestPath } = files;
  const location = { context: { source: manifestPath, path: pointer } };
  let target: string;
  let root: string;
  try {
    // Symlinks resolved on both sides: a link inside the folder may point anywhere.
    [target, root] = await Promise.all([realpath(resolve(files.baseDir, file)), realpath(files.root)]);
  } catch (cause) {
    throw new ShadowdiffError("FILE_NOT_FOUND", `${manifestPath}: ${pointer}: cannot read ${file}`, {
      ...location,
      cause,
    });
  }
  const inside = relative(root, target);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    throw new ShadowdiffError(
      "INVALID_MANIFEST",
      `${manifestPath}: ${pointer}: ${file} is outside ${files.root}; a manifest may only reference files in its own folder (give another with --manifest-root)`,
      location,
    );
  }
  try {
    return await readFile(target, "utf8");
  } catch (cause) {
    throw new ShadowdiffError("FILE_NOT_FOUND", `${manifestPath}: ${pointer}: cannot read ${file}`, {
      ...location,
      cause,
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
