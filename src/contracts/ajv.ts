import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats ships CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * One Ajv instance for shadowdiff's own contracts. `strict` catches mistakes in our schemas at
 * compile time; `allErrors` stays off on the hot path because the first error is what a person
 * needs and collecting the rest costs time on every invalid record.
 */
export function createAjv(options: { allErrors?: boolean } = {}): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: options.allErrors ?? false, allowUnionTypes: true });
  addFormats(ajv, ["date-time", "uri"]);
  return ajv;
}

let sharedAjv: Ajv | undefined;

/** Compiles a contract schema once per process (compilation is the expensive part). */
export function compileContract<T>(schema: object): ValidateFunction<T> {
  sharedAjv ??= createAjv();
  return sharedAjv.compile<T>(schema);
}

/** `/response/steps/2/arguments must be object`: one line per Ajv error, JSON path first. */
export function formatSchemaError(error: ErrorObject): string {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperty" || error.keyword === "additionalProperties") {
    return `${path} has unknown property '${String(params.additionalProperty)}'`;
  }
  if (error.keyword === "const") return `${path} must be ${JSON.stringify(params.allowedValue)}`;
  if (error.keyword === "enum") {
    return `${path} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return `${path} ${error.message ?? "is invalid"}`;
}

export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return "/ is invalid";
  return errors.map(formatSchemaError).join("; ");
}

/** The JSON path of the first error, for error contexts. */
export function firstErrorPath(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  return first === undefined || first.instancePath === "" ? "/" : first.instancePath;
}
