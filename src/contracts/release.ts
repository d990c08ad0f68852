/** The release manifest: everything that sets an agent's behaviour, versioned together. */

export interface ModelPin {
  readonly provider: string;
  /** A dated snapshot (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`), never a floating alias. */
  readonly snapshot: string;
}

/** A tool as the manifest file writes it: inline, or a JSON file holding `{description?, parameters}`. */
export type ToolSource =
  | { readonly file: string }
  | { readonly description?: string; readonly parameters: Record<string, unknown> };

export interface ReleaseManifestFile {
  readonly name: string;
  readonly version: string;
  readonly model: ModelPin;
  readonly prompt: { readonly file: string } | { readonly text: string };
  readonly tools: Readonly<Record<string, ToolSource>>;
  readonly memory?: { readonly schema_version: string | number; readonly schema?: Record<string, unknown> };
  readonly config?: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Provider endpoint settings for executed candidates (never part of the content id). */
  readonly endpoint?: Readonly<Record<string, unknown>>;
}

export interface ToolDefinition {
  readonly description?: string;
  /** JSON Schema of the call's arguments object. */
  readonly parameters: Record<string, unknown>;
}

/** A manifest with every file reference read in: what the content id is computed over. */
export interface ResolvedRelease {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly model: ModelPin;
  readonly prompt: string;
  readonly tools: Readonly<Record<string, ToolDefinition>>;
  readonly memory: {
    readonly schema_version: string | number;
    readonly schema?: Record<string, unknown>;
  } | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly endpoint: Readonly<Record<string, unknown>>;
  /** Where the manifest was read from, for messages. */
  readonly source: string;
}

export const releaseManifestJsonSchema = {
  $id: "https://shadowdiff.dev/schemas/release-manifest.json",
  type: "object",
  additionalProperties: false,
  required: ["name", "version", "model", "prompt", "tools"],
  properties: {
    name: { type: "string", minLength: 1 },
    version: { type: ["string", "number"] },
    model: {
      type: "object",
      additionalProperties: false,
      required: ["provider", "snapshot"],
      properties: { provider: { type: "string", minLength: 1 }, snapshot: { type: "string", minLength: 1 } },
    },
    prompt: {
      oneOf: [
        {
          type: "object",
          additionalProperties: false,
          required: ["file"],
          properties: { file: { type: "string" } },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["text"],
          properties: { text: { type: "string" } },
        },
      ],
    },
    tools: {
      type: "object",
      additionalProperties: {
        oneOf: [
          {
            type: "object",
            additionalProperties: false,
            required: ["file"],
            properties: { file: { type: "string" } },
          },
          {
            type: "object",
            additionalProperties: false,
            required: ["parameters"],
            properties: { description: { type: "string" }, parameters: { type: "object" } },
          },
        ],
      },
    },
    memory: {
      type: "object",
      additionalProperties: false,
      required: ["schema_version"],
      properties: { schema_version: { type: ["string", "number"] }, schema: { type: "object" } },
    },
    config: { type: "object" },
    metadata: { type: "object" },
    endpoint: { type: "object" },
  },
} as const;
