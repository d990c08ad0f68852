import { createHash } from "node:crypto";
import { compileContract, firstErrorPath, formatSchemaErrors } from "../contracts/ajv.js";
import { ShadowdiffError } from "../contracts/errors.js";
import { parseDocumentText } from "../contracts/parse-document.js";
import { type Policy, policyJsonSchema } from "./policy.js";

const validatePolicy = compileContract<Policy>(policyJsonSchema);

/** A validated policy, where it came from, and the sha256 of its bytes (verdicts cite both). */
export interface LoadedPolicy {
  readonly policy: Policy;
  readonly sha256: string;
  readonly source: string;
}

/**
 * A gate policy from the bytes of its file (YAML or JSON), validated, with its defaults filled
 * in. Pure: reading the file stays at the edge (api/gate-verdict.ts), so src/gate imports no I/O.
 * The digest is of the bytes as given, so a verdict names exactly the file it was judged by.
 */
export function parsePolicy(bytes: Uint8Array, source: string): LoadedPolicy {
  const document = parseDocumentText(new TextDecoder().decode(bytes), source, "policy");
  if (!validatePolicy(document)) {
    throw new ShadowdiffError("INVALID_POLICY", `${source}: ${formatSchemaErrors(validatePolicy.errors)}`, {
      context: { source, path: firstErrorPath(validatePolicy.errors) },
    });
  }
  return {
    policy: {
      ...document,
      min_pairs: document.min_pairs ?? 100,
      min_pairs_per_segment: document.min_pairs_per_segment ?? 30,
    },
    sha256: createHash("sha256").update(bytes).digest("hex"),
    source,
  };
}
