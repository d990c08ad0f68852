import { compileContract, firstErrorPath, formatSchemaErrors } from "../contracts/ajv.js";
import { ShadowdiffError } from "../contracts/errors.js";
import {
  DEFAULT_JUDGED_CATEGORIES,
  JUDGE_PLACEHOLDERS,
  type JudgeManifestFile,
  judgeManifestJsonSchema,
  type ResolvedJudge,
} from "../contracts/judge.js";
import { readDocument } from "../contracts/read-document.js";
import { floatingModelProblem } from "../release/lint.js";
import { type LoadReleaseOptions, resolveReleaseManifest } from "../release/load.js";

const validateJudgeManifest = compileContract<JudgeManifestFile>(judgeManifestJsonSchema);

export interface LoadJudgeOptions extends LoadReleaseOptions {
  /** Accept a judge whose model is a floating alias (its verdicts may change under you). */
  readonly allowFloating?: boolean;
}

/**
 * Loads a judge manifest through the release loader (files confined to its folder, the same
 * content id), checks that the prompt template has every placeholder, and applies the pin check.
 */
export async function loadJudge(path: string, options: LoadJudgeOptions = {}): Promise<ResolvedJudge> {
  const document = await readDocument(path, "manifest");
  if (!validateJudgeManifest(document)) {
    throw new ShadowdiffError(
      "INVALID_MANIFEST",
      `${path}: ${formatSchemaErrors(validateJudgeManifest.errors)}`,
      { context: { source: path, path: firstErrorPath(validateJudgeManifest.errors) } },
    );
  }
  const { categories, ...manifest } = document;
  const release = await resolveReleaseManifest({ ...manifest, tools: {} }, path, options);
  const missing = JUDGE_PLACEHOLDERS.filter((placeholder) => !release.prompt.includes(placeholder));
  if (missing.length > 0) {
    throw new ShadowdiffError(
      "INVALID_MANIFEST",
      `${path}: /prompt: the judge's template must hold ${missing.join(", ")} (the request and the two answers it compares)`,
      { context: { source: path, path: "/prompt" } },
    );
  }
  const floating = floatingModelProblem(release, options.allowFloating === true);
  if (floating !== undefined) {
    throw new ShadowdiffError("BAD_USAGE", floating, { context: { source: path, path: "/model/snapshot" } });
  }
  return { release, categories: categories ?? DEFAULT_JUDGED_CATEGORIES };
}
