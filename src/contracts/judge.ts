import { PAIR_CATEGORIES, type PairCategory } from "./categories.js";
import { type ReleaseManifestFile, type ResolvedRelease, releaseManifestJsonSchema } from "./release.js";

/**
 * The judge manifest (`judge.yaml`): a release-like bundle for the pairwise judge. Its model,
 * prompt template, config and endpoint are a release's (so the same loader, content id and pin
 * check apply); it has no tools, and names the pair categories it judges.
 */
export interface JudgeManifestFile extends Omit<ReleaseManifestFile, "tools"> {
  readonly categories?: readonly PairCategory[];
}

/** Categories judged when the manifest names none: where structure cannot say better or worse. */
export const DEFAULT_JUDGED_CATEGORIES: readonly PairCategory[] = ["text_only", "outcome_mismatch"];

/** The placeholders a judge prompt template must hold, each once or more. */
export const JUDGE_PLACEHOLDERS = ["{{request}}", "{{answer_a}}", "{{answer_b}}"] as const;

export interface ResolvedJudge {
  /** The judge as a release: `id` is its content id (model, template, config). */
  readonly release: ResolvedRelease;
  readonly categories: readonly PairCategory[];
}

const { tools: _tools, ...releaseProperties } = releaseManifestJsonSchema.properties;

export const judgeManifestJsonSchema = {
  $id: "https://shadowdiff.dev/schemas/judge-manifest.json",
  type: "object",
  additionalProperties: false,
  required: ["name", "version", "model", "prompt"],
  properties: {
    ...releaseProperties,
    categories: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      // An identical pair has nothing to prefer; a failed candidate has no answer to judge.
      items: { enum: PAIR_CATEGORIES.filter((category) => category !== "identical") },
    },
  },
} as const;

/** What the judge must answer, once per order: which answer it prefers, and one line of why. */
export interface JudgeAnswer {
  readonly preferred: "A" | "B" | "same";
  readonly reason: string;
}

export const judgeAnswerJsonSchema = {
  $id: "https://shadowdiff.dev/schemas/judge-answer.json",
  type: "object",
  additionalProperties: false,
  required: ["preferred", "reason"],
  properties: {
    preferred: { enum: ["A", "B", "same"] },
    reason: { type: "string", maxLength: 2000 },
  },
} as const;

/** The candidate's verdict on one pair, after asking both ways. */
export type JudgeVerdict = "better" | "worse" | "same" | "unparseable";
