import { SCORE_NAME_PATTERN } from "./exchange.js";

/** The diff rules file: how traces are normalized and compared. Every field has a default. */

export const TRAJECTORY_MODES = ["strict", "unordered", "subset", "superset"] as const;
export type TrajectoryMode = (typeof TRAJECTORY_MODES)[number];

export const ARGUMENT_MODES = ["exact", "ignore", "subset", "superset"] as const;
export type ArgumentMode = (typeof ARGUMENT_MODES)[number];

export interface NumericTolerance {
  readonly absolute: number;
  readonly relative: number;
}

export interface MaskPattern {
  readonly name: string;
  readonly pattern: string;
}

export interface ToolRules {
  readonly arguments?: ArgumentMode;
  /** JSON pointers inside this tool's arguments (`/body`); `*` matches one segment. */
  readonly ignore_paths?: readonly string[];
  readonly numeric_tolerance?: NumericTolerance;
}

export interface DiffRules {
  readonly trajectory: TrajectoryMode;
  readonly arguments: ArgumentMode;
  /**
   * JSON pointers into the compared view: `/outcome…`, `/arguments…` (every tool),
   * `/steps/<tool>/arguments…`, `/output` (see src/normalize/ignore-paths.ts).
   */
  readonly ignore_paths: readonly string[];
  readonly masks: {
    readonly uuid: boolean;
    readonly timestamp: boolean;
    readonly patterns: readonly MaskPattern[];
  };
  readonly numeric_tolerance: NumericTolerance;
  readonly text: {
    readonly compare: boolean;
    readonly collapse_whitespace: boolean;
    readonly case_sensitive: boolean;
  };
  readonly refusal: { readonly stop_reasons: readonly string[]; readonly patterns: readonly string[] };
  readonly tools: Readonly<Record<string, ToolRules>>;
  /** Direction of record scores; a score not named here is higher-is-better. */
  readonly scores: Readonly<Record<string, ScoreRule>>;
  /** shadowdiff's own checks: JSON Schemas applied to each exchange record as validated. */
  readonly checks: Readonly<Record<string, CheckRule>>;
}

export interface ScoreRule {
  readonly better: "higher" | "lower";
}

/**
 * A check passes on a record that validates against `expect`; a record that does not match
 * `when` (default: every record matches) is not applicable. Both are a user's own JSON Schemas.
 */
export interface CheckRule {
  readonly when?: Readonly<Record<string, unknown>>;
  readonly expect: Readonly<Record<string, unknown>>;
}

export const DEFAULT_RULES: DiffRules = {
  trajectory: "strict",
  arguments: "exact",
  ignore_paths: [],
  masks: { uuid: true, timestamp: true, patterns: [] },
  numeric_tolerance: { absolute: 0, relative: 0 },
  text: { compare: true, collapse_whitespace: true, case_sensitive: true },
  // Stop reasons providers use for a declined answer: OpenAI `content_filter`, Anthropic `refusal`.
  refusal: { stop_reasons: ["refusal", "content_filter"], patterns: [] },
  tools: {},
  scores: {},
  checks: {},
};

const toleranceSchema = {
  type: "object",
  additionalProperties: false,
  properties: { absolute: { type: "number", minimum: 0 }, relative: { type: "number", minimum: 0 } },
} as const;

const pointerList = { type: "array", items: { type: "string", pattern: "^/" } } as const;

/** Schema of the rules file as a person writes it: every key optional, unknown keys rejected. */
export const rulesJsonSchema = {
  $id: "https://shadowdiff.dev/schemas/rules.json",
  type: "object",
  additionalProperties: false,
  properties: {
    trajectory: { enum: TRAJECTORY_MODES },
    arguments: { enum: ARGUMENT_MODES },
    ignore_paths: pointerList,
    masks: {
      type: "object",
      additionalProperties: false,
      properties: {
        uuid: { type: "boolean" },
        timestamp: { type: "boolean" },
        patterns: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name", "pattern"],
            properties: { name: { type: "string", minLength: 1 }, pattern: { type: "string", minLength: 1 } },
          },
        },
      },
    },
    numeric_tolerance: toleranceSchema,
    text: {
      type: "object",
      additionalProperties: false,
      properties: {
        compare: { type: "boolean" },
        collapse_whitespace: { type: "boolean" },
        case_sensitive: { type: "boolean" },
      },
    },
    refusal: {
      type: "object",
      additionalProperties: false,
      properties: {
        stop_reasons: { type: "array", items: { type: "string" } },
        patterns: { type: "array", items: { type: "string" } },
      },
    },
    tools: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          arguments: { enum: ARGUMENT_MODES },
          ignore_paths: pointerList,
          numeric_tolerance: toleranceSchema,
        },
      },
    },
    scores: {
      type: "object",
      propertyNames: { pattern: SCORE_NAME_PATTERN },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["better"],
        properties: { better: { enum: ["higher", "lower"] } },
      },
    },
    checks: {
      type: "object",
      propertyNames: { pattern: SCORE_NAME_PATTERN },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["expect"],
        properties: { when: { type: ["object", "boolean"] }, expect: { type: ["object", "boolean"] } },
      },
    },
  },
} as const;
