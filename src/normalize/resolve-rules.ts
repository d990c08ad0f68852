import { compileContract, firstErrorPath, formatSchemaErrors } from "../contracts/ajv.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { DEFAULT_RULES, type DiffRules, rulesJsonSchema } from "../contracts/rules.js";
import { CheckSchemaError, compileChecks } from "./checks.js";
import { routeIgnorePaths } from "./ignore-paths.js";

type RulesFile = Partial<Omit<DiffRules, "masks" | "text" | "refusal">> & {
  masks?: Partial<DiffRules["masks"]>;
  text?: Partial<DiffRules["text"]>;
  refusal?: Partial<DiffRules["refusal"]>;
};

const validateRulesFile = compileContract<RulesFile>(rulesJsonSchema);

/** Merges a rules document over the defaults; a key left out keeps its default. */
export function resolveRules(document: unknown, source = "<rules>"): DiffRules {
  if (document === null || document === undefined) return DEFAULT_RULES;
  if (!validateRulesFile(document)) {
    const path = firstErrorPath(validateRulesFile.errors);
    throw new ShadowdiffError("INVALID_RULES", `${source}: ${formatSchemaErrors(validateRulesFile.errors)}`, {
      context: { source, path },
    });
  }
  const file = document;
  // Routed here only to reject, with the file named, a pointer that could ignore nothing.
  routeIgnorePaths(file.ignore_paths ?? [], source);
  for (const [index, pattern] of [
    ...(file.masks?.patterns ?? []),
    ...(file.refusal?.patterns ?? []),
  ].entries()) {
    checkRegex(typeof pattern === "string" ? pattern : pattern.pattern, source, index);
  }
  return {
    trajectory: file.trajectory ?? DEFAULT_RULES.trajectory,
    arguments: file.arguments ?? DEFAULT_RULES.arguments,
    ignore_paths: file.ignore_paths ?? DEFAULT_RULES.ignore_paths,
    masks: { ...DEFAULT_RULES.masks, ...file.masks },
    numeric_tolerance: { ...DEFAULT_RULES.numeric_tolerance, ...file.numeric_tolerance },
    text: { ...DEFAULT_RULES.text, ...file.text },
    refusal: { ...DEFAULT_RULES.refusal, ...file.refusal },
    tools: file.tools ?? DEFAULT_RULES.tools,
    scores: file.scores ?? DEFAULT_RULES.scores,
    checks: checked(file.checks ?? DEFAULT_RULES.checks, source),
  };
}

/** The checks, once each schema is known to compile: a broken one is named by its key. */
function checked(checks: DiffRules["checks"], source: string): DiffRules["checks"] {
  try {
    compileChecks(checks);
  } catch (error) {
    if (!(error instanceof CheckSchemaError)) throw error;
    throw new ShadowdiffError("INVALID_RULES", `${source}: ${error.message}`, {
      context: { source, path: `/${error.path.replaceAll(".", "/")}` },
    });
  }
  return checks;
}

function checkRegex(pattern: string, source: string, index: number): void {
  try {
    new RegExp(pattern);
  } catch (cause) {
    throw new ShadowdiffError(
      "INVALID_RULES",
      `${source}: pattern #${index + 1} is not a valid regular expression: ${pattern}`,
      {
        context: { source },
        cause,
      },
    );
  }
}
