import { Ajv } from "ajv";
import type { ResolvedRelease } from "../contracts/release.js";

export type LintRule = "floating-model" | "invalid-tool-schema" | "prompt-tool-mismatch";

export interface LintFinding {
  readonly rule: LintRule;
  /** JSON pointer into the manifest. */
  readonly path: string;
  readonly message: string;
}

// A pinned snapshot carries its date: 2024-08-06 (OpenAI), 20250929 (Anthropic), or a numbered
// revision such as -001 (Gemini). Aliases that move under you: `latest`, `chatgpt-4o-latest`,
// `gpt-4o`, `claude-sonnet-4-5`.
const DATED = /(?:^|[-@_.])(?:\d{4}-\d{2}-\d{2}|\d{8})(?:$|[-@_.])/;
const REVISION = /-\d{3}$/;
const FLOATING_WORD = /(?:^|[-_.])latest(?:$|[-_.])/i;

/** Findings of `shadowdiff release lint` for one resolved release (pure). */
export function lintRelease(release: ResolvedRelease): LintFinding[] {
  return [...modelFindings(release), ...schemaFindings(release), ...promptFindings(release)];
}

function modelFindings(release: ResolvedRelease): LintFinding[] {
  const snapshot = release.model.snapshot;
  if (FLOATING_WORD.test(snapshot) || !(DATED.test(snapshot) || REVISION.test(snapshot))) {
    return [
      {
        rule: "floating-model",
        path: "/model/snapshot",
        message: `'${release.model.provider}/${snapshot}' is a floating alias; pin a dated snapshot (e.g. gpt-4o-2024-08-06) so the release cannot change under you`,
      },
    ];
  }
  return [];
}

function schemaFindings(release: ResolvedRelease): LintFinding[] {
  // Non-strict like the runtime checker: vendor annotations are allowed, invalid keywords are not.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const findings: LintFinding[] = [];
  for (const [name, tool] of Object.entries(release.tools)) {
    const path = `/tools/${name}/parameters`;
    if (!ajv.validateSchema(tool.parameters)) {
      const reasons = (ajv.errors ?? []).map(
        (error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`,
      );
      findings.push({
        rule: "invalid-tool-schema",
        path,
        message: `${name}: not a valid JSON Schema (${[...new Set(reasons)].join("; ")})`,
      });
      continue;
    }
    if (tool.parameters.type !== "object") {
      findings.push({
        rule: "invalid-tool-schema",
        path: `${path}/type`,
        message: `${name}: tool arguments are an object; the schema's root type must be "object"`,
      });
      continue;
    }
    try {
      ajv.compile(tool.parameters);
    } catch (error) {
      findings.push({
        rule: "invalid-tool-schema",
        path,
        message: `${name}: schema does not compile (${error instanceof Error ? error.message : String(error)})`,
      });
    }
  }
  return findings;
}

// `refund_order(order_id, reason, amount, currency)`: a call-like mention. Only snake_case names
// (with an underscore) or names of declared tools count, so prose such as "note (see below)" does not.
const CALL = /\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[A-Za-z][A-Za-z0-9]*)\(([^()]*)\)/g;
const PARAMETER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function promptFindings(release: ResolvedRelease): LintFinding[] {
  const findings: LintFinding[] = [];
  const seen = new Set<string>();
  for (const match of release.prompt.matchAll(CALL)) {
    const name = match[1] as string;
    const declared = release.tools[name];
    if (declared === undefined && !name.includes("_")) continue;
    const parameters = (match[2] as string)
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part.length > 0);
    if (!parameters.every((parameter) => PARAMETER.test(parameter))) continue;
    if (declared === undefined) {
      if (!seen.has(name)) {
        findings.push({
          rule: "prompt-tool-mismatch",
          path: "/prompt",
          message: `the prompt names tool ${name}(…) but the release has no tool ${name}`,
        });
        seen.add(name);
      }
      continue;
    }
    const properties = (declared.parameters.properties ?? {}) as Record<string, unknown>;
    for (const parameter of parameters) {
      const key = `${name}.${parameter}`;
      if (parameter in properties || seen.has(key)) continue;
      seen.add(key);
      findings.push({
        rule: "prompt-tool-mismatch",
        path: `/tools/${name}/parameters/properties`,
        message: `the prompt names ${name}(${parameters.join(", ")}) but the schema of ${name} has no parameter ${parameter}`,
      });
    }
  }
  return findings;
}

/**
 * The pin check before a release is called: a floating model is refused unless the caller
 * allowed it (`--allow-floating`), since results from a model that moves cannot be compared.
 */
export function floatingModelProblem(release: ResolvedRelease, allowFloating: boolean): string | undefined {
  if (allowFloating) return undefined;
  const floating = modelFindings(release)[0];
  return floating === undefined
    ? undefined
    : `${release.source}: ${floating.message} (or pass --allow-floating)`;
}
