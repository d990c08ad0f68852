import { compileContract, firstErrorPath, formatSchemaErrors } from "../contracts/ajv.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { DEFAULT_RULES, type DiffRules, rulesJsonSchema } from "../contracts/rules.js";

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
  };
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
