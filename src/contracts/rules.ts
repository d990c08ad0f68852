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
  /** JSON pointers into the compared view: `/outcome/…`, `/arguments/…` (every tool), `/output`. */
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
  },
} as const;
