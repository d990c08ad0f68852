import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { rulesJsonSchema } from "../../../src/contracts/rules.js";
import { compileRules } from "../../../src/normalize/compile-rules.js";
import { resolveRules } from "../../../src/normalize/resolve-rules.js";

/** Every key the rules schema accepts, as dotted paths (`masks.uuid`, `tools.NAME.arguments`). */
function schemaKeys(schema: Record<string, unknown>, prefix = ""): string[] {
  const keys: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, child] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    keys.push(path);
    keys.push(...schemaKeys(child, `${path}.`));
  }
  const additional = schema.additionalProperties;
  if (additional !== null && typeof additional === "object") {
    keys.push(...schemaKeys(additional as Record<string, unknown>, `${prefix}NAME.`));
  }
  return keys;
}

describe("the rules file's documentation", () => {
  const keys = schemaKeys(rulesJsonSchema as unknown as Record<string, unknown>);

  it("documents every key the schema accepts in docs/RULES.md", async () => {
    const doc = await readFile("docs/RULES.md", "utf8");
    // Parents whose children are all documented need no row of their own.
    const leaves = keys.filter((key) => !keys.some((other) => other.startsWith(`${key}.`)));
    expect(leaves.filter((key) => !doc.includes(`\`${key}\``) && !doc.includes(`\`${key} `))).toEqual([]);
  });

  it("ships an example that validates, compiles and shows every top-level key", async () => {
    const text = await readFile("examples/rules.yaml", "utf8");
    const rules = resolveRules(parse(text), "examples/rules.yaml");
    expect(() => compileRules(rules)).not.toThrow();
    const topLevel = Object.keys((rulesJsonSchema as { properties: object }).properties);
    const written = Object.keys(parse(text) as object);
    expect(topLevel.filter((key) => !written.includes(key))).toEqual([]);
  });
});
