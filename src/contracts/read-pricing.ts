import { fileURLToPath } from "node:url";
import { compileContract, firstErrorPath, formatSchemaErrors } from "./ajv.js";
import { ShadowdiffError } from "./errors.js";
import { type PricingTable, pricingJsonSchema } from "./pricing.js";
import { readDocument } from "./read-document.js";

const validatePricing = compileContract<PricingTable>(pricingJsonSchema);

/** The pricing table shipped with shadowdiff (`config/pricing.yaml` in the package). */
export const DEFAULT_PRICING_PATH = fileURLToPath(new URL("../../config/pricing.yaml", import.meta.url));

export async function readPricing(path: string = DEFAULT_PRICING_PATH): Promise<PricingTable> {
  const document = await readDocument(path, "rules");
  if (!validatePricing(document)) {
    throw new ShadowdiffError("BAD_USAGE", `${path}: ${formatSchemaErrors(validatePricing.errors)}`, {
      context: { source: path, path: firstErrorPath(validatePricing.errors) },
    });
  }
  return { version: document.version ?? 1, currency: document.currency ?? "USD", models: document.models };
}
