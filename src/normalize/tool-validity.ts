import { Ajv, type ValidateFunction } from "ajv";
import type { ResolvedRelease } from "../contracts/release.js";

export interface InvalidCall {
  readonly index: number;
  readonly name: string;
  readonly reason: string;
}

export type ToolCallValidator = (name: string, args: Record<string, unknown>) => string | null;

/**
 * Validates tool calls against the tool schemas of the release that made them. Schemas are
 * compiled once per release id, because compiling is ~1000x the cost of validating.
 * User schemas are compiled non-strict: real tool schemas carry annotations (`examples`,
 * vendor keywords) that Ajv's strict mode would reject although they do not affect validity.
 */
export class ToolSchemaRegistry {
  private readonly ajv = new Ajv({ strict: false, allErrors: false, allowUnionTypes: true });
  private readonly validators = new Map<string, ToolCallValidator>();

  register(release: ResolvedRelease): void {
    if (this.validators.has(release.id)) return;
    const byTool = new Map<string, ValidateFunction>();
    for (const [name, tool] of Object.entries(release.tools))
      byTool.set(name, this.ajv.compile(tool.parameters));
    this.validators.set(release.id, (name, args) => {
      const validate = byTool.get(name);
      if (validate === undefined)
        return `unknown tool '${name}' (not in release ${release.name} ${release.version})`;
      if (validate(args)) return null;
      const error = validate.errors?.[0];
      if (error === undefined) return "arguments are invalid";
      const path =
        error.instancePath === "" ? "arguments" : `arguments${error.instancePath.replaceAll("/", ".")}`;
      const detail =
        error.keyword === "additionalProperties"
          ? `has unknown property '${String((error.params as { additionalProperty?: unknown }).additionalProperty)}'`
          : (error.message ?? "is invalid");
      return `${path} ${detail}`;
    });
  }

  /** The validator for a release id, or undefined when no manifest of that release was given. */
  validatorFor(releaseId: string): ToolCallValidator | undefined {
    return this.validators.get(releaseId);
  }

  get size(): number {
    return this.validators.size;
  }
}
