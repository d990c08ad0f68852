import type { Attributes, AttributeValue } from "./span.js";

/*
 * Attribute lookups read the value first and ask Object.hasOwn only of a value they would use:
 * most keys asked for are absent (each convention's names are tried in turn), and an absent key
 * then costs one lookup instead of two. The own-property check still keeps an inherited value
 * (a polluted Object.prototype) from reading as an attribute.
 */

/** `key`'s value in `attributes` when it is a non-empty string, a number or a boolean (as text). */
export function stringAttribute(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  if (typeof value === "string")
    return value.length > 0 && Object.hasOwn(attributes, key) ? value : undefined;
  if ((typeof value === "number" || typeof value === "boolean") && Object.hasOwn(attributes, key))
    return String(value);
  return undefined;
}

/** The first of `keys` that holds a non-empty string (see stringAttribute). */
export function firstStringAttribute(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (let index = 0; index < keys.length; index++) {
    const value = stringAttribute(attributes, keys[index] as string);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The first of `keys` that holds a whole number (int attributes may arrive as decimal text). */
export function firstIntegerAttribute(attributes: Attributes, keys: readonly string[]): number | undefined {
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const value = attributes[key];
    const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (
      typeof number === "number" &&
      Number.isSafeInteger(number) &&
      number >= 0 &&
      Object.hasOwn(attributes, key)
    )
      return number;
  }
  return undefined;
}

/** A value that may be structured already (a kvlist, an array) or JSON text; undefined when absent. */
export function structuredAttribute(attributes: Attributes, key: string): unknown {
  if (!Object.hasOwn(attributes, key)) return undefined;
  return parseIfJson(attributes[key] as AttributeValue);
}

/** JSON text to its value; anything else (plain text, structured values) as it is. */
export function parseIfJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const first = value.trimStart()[0];
  if (first !== "{" && first !== "[" && first !== '"') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** String items of an array attribute (`gen_ai.response.finish_reasons`), or a single string. */
export function stringList(value: unknown): string[] {
  if (typeof value === "string") return value.length > 0 ? [value] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string" && item.length > 0);
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Tool-call arguments as the record's object: JSON text parsed; a non-object (or unparsable
 * text) is kept under `$arguments` so nothing the model sent is lost and the record stays valid.
 */
export function argumentsObject(value: unknown): Record<string, unknown> {
  const parsed = parseIfJson(value);
  // A value parsed here is the record's own; a structured attribute is shared with the span, so
  // it is copied (copying every parsed one too was a fifth of reading a model call's output).
  if (isRecord(parsed)) return parsed === value ? { ...parsed } : (parsed as Record<string, unknown>);
  if (parsed === undefined || parsed === null || parsed === "") return {};
  return { $arguments: parsed };
}
