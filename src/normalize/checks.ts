import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { CheckRule } from "../contracts/rules.js";

/** One check's outcome on one record: pass, fail (with Ajv's first reason), or not applicable. */
export type CheckOutcome =
  | { readonly status: "pass" }
  | { readonly status: "fail"; readonly reason: string }
  | { readonly status: "na" };

// Shared, as outcomes are read and never changed: two checks a pair on every pair.
const PASS: CheckOutcome = Object.freeze({ status: "pass" });
const NOT_APPLICABLE: CheckOutcome = Object.freeze({ status: "na" });

export interface CompiledCheck {
  readonly name: string;
  readonly evaluate: (record: unknown) => CheckOutcome;
}

/**
 * Compiles the rules file's checks once. They are a user's own JSON Schemas, so Ajv's strict mode
 * is off (vendor keywords and loose schemas are common and do not change validity); a schema that
 * does not compile is reported by name. Checks run on the exchange record as validated, not on
 * the normalized view, so a schema reads the field names the user sees in their records.
 */
export function compileChecks(checks: Readonly<Record<string, CheckRule>>): CompiledCheck[] {
  const ajv = new Ajv({ strict: false, allErrors: false, allowUnionTypes: true, validateFormats: false });
  return Object.entries(checks)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, rule]) => {
      const when = rule.when === undefined ? undefined : compile(ajv, rule.when, `checks.${name}.when`);
      const expect = compile(ajv, rule.expect, `checks.${name}.expect`);
      return {
        name,
        evaluate: (record: unknown): CheckOutcome => {
          if (when !== undefined && !when(record)) return NOT_APPLICABLE;
          return expect(record) ? PASS : { status: "fail", reason: describe(expect.errors) };
        },
      };
    });
}

/** Thrown for a check schema Ajv cannot compile; `path` names the key in the rules file. */
export class CheckSchemaError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function compile(
  ajv: Ajv,
  schema: Readonly<Record<string, unknown>> | boolean,
  path: string,
): ValidateFunction {
  try {
    return ajv.compile(schema as Record<string, unknown>);
  } catch (error) {
    throw new CheckSchemaError(path, `${path} is not a valid JSON Schema: ${(error as Error).message}`);
  }
}

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (first === undefined) return "does not validate";
  return `${first.instancePath || "/"} ${first.message ?? "is invalid"}`;
}
