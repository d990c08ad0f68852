import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactText, redactValue } from "../../src/harvest/redact.js";
import { escapePointerSegment } from "../../src/normalize/pointer.js";
import { runs, timed } from "./bounded.js";
import { emailAddress, hostileKey, hostileString, hugeString, jsonText } from "./hostile.js";

const texts = fc.oneof({ weight: 20, arbitrary: hostileString }, { weight: 1, arbitrary: hugeString });

/** Values as JSON.parse builds them: own `__proto__` keys, nesting to 3,000 levels. */
const values = jsonText({ maxDepth: 4, maxDeepLeaf: 3_000 }).map((text) => JSON.parse(text) as unknown);

/**
 * Configured paths as their segments. One empty segment is left out: shadowdiff reads the pointer
 * "/" as the root (src/normalize/pointer.ts), where RFC 6901 reads the key "".
 */
const patterns = fc.array(
  fc
    .array(fc.oneof(hostileKey, fc.constantFrom("*", "0", "a")), { minLength: 1, maxLength: 4 })
    .filter((segments) => !(segments.length === 1 && segments[0] === "")),
  { maxLength: 3 },
);

const pointerOf = (segments: readonly string[]) => `/${segments.map(escapePointerSegment).join("/")}`;

function configured(path: readonly string[], segmentLists: readonly (readonly string[])[]): boolean {
  return segmentLists.some(
    (pattern) =>
      pattern.length === path.length &&
      pattern.every((segment, index) => segment === "*" || segment === path[index]),
  );
}

interface Node {
  readonly value: unknown;
}

/** Every node of a value, parents first, walked without recursion. */
function* nodes(root: unknown): Generator<Node> {
  const stack: Node[] = [{ value: root }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    yield node;
    const { value } = node;
    if (value !== null && typeof value === "object")
      for (const child of Object.values(value).reverse()) stack.push({ value: child });
  }
}

/** Every string in a value, keys included, walked without recursion. */
function strings(root: unknown): string[] {
  const found: string[] = [];
  for (const { value } of nodes(root)) {
    if (typeof value === "string") found.push(value);
    else if (value !== null && typeof value === "object" && !Array.isArray(value))
      found.push(...Object.keys(value));
  }
  return found;
}

/**
 * Redacted and original side by side, node by node: a configured path is "<redacted>"; elsewhere
 * the same containers with the same own keys in the same order and plain prototypes, and a leaf
 * kept or (strings and numbers) replaced by a string.
 */
function shapeProblems(
  original: unknown,
  redacted: unknown,
  paths: readonly (readonly string[])[],
): string[] {
  const problems: string[] = [];
  const pairs: [unknown, unknown, readonly string[]][] = [[original, redacted, []]];
  for (let pair = pairs.pop(); pair !== undefined; pair = pairs.pop()) {
    const [before, after, path] = pair;
    const where = JSON.stringify(path);
    if (path.length > 0 && configured(path, paths)) {
      if (after !== "<redacted>") problems.push(`${where}: not redacted`);
      continue;
    }
    if (before === null || typeof before !== "object") {
      const replaceable = typeof before === "string" || typeof before === "number";
      if (after !== before && !(replaceable && typeof after === "string"))
        problems.push(`${where}: leaf changed`);
      continue;
    }
    const prototype = Array.isArray(before) ? Array.prototype : Object.prototype;
    if (after === null || typeof after !== "object" || Object.getPrototypeOf(after) !== prototype) {
      problems.push(`${where}: not a plain ${Array.isArray(before) ? "array" : "object"}`);
      continue;
    }
    const keys = Object.keys(before);
    const afterKeys = Object.keys(after);
    // Keys are scrubbed like text (two that scrub alike get a `#n` counter), in the same order.
    const expected = keys.map((key) => redactText(key));
    const matches =
      afterKeys.length === keys.length &&
      afterKeys.every((key, index) => key === expected[index] || key.startsWith(`${expected[index]}#`));
    if (!matches) problems.push(`${where}: other keys`);
    keys.forEach((key, index) => {
      pairs.push([
        Object.getOwnPropertyDescriptor(before, key)?.value,
        Object.getOwnPropertyDescriptor(after, afterKeys[index] as string)?.value,
        [...path, key],
      ]);
    });
  }
  return problems;
}

/** The planted address with text around it that holds no "@" of its own. */
const planted = fc.tuple(
  hostileString.map((text) => text.replaceAll("@", "")),
  emailAddress,
  hostileString.map((text) => text.replaceAll("@", "")),
);

describe("redaction of hostile values", () => {
  it("scrubs any text within a bound, and leaves text with no '@' and no digit as it was", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const redacted = timed(`redactText of ${text.length} characters`, 3_000, () => redactText(text));
        expect(typeof redacted).toBe("string");
        if (!/[@0-9]/.test(text)) expect(redacted).toBe(text);
      }),
      runs(1541, 300),
    );
  }, 60_000);

  it("leaves no planted e-mail address in a text, whatever surrounds it", () => {
    fc.assert(
      fc.property(planted, ([before, address, after]) => {
        expect(redactText(`${before}${address}${after}`)).not.toContain(address);
      }),
      runs(1542, 500),
    );
  });

  it("walks any value within a bound, keeping its shape, its keys (__proto__ too) and the input", () => {
    fc.assert(
      fc.property(values, patterns, (value, paths) => {
        const before = JSON.stringify(value);
        const redacted = timed("redactValue", 3_000, () => redactValue(value, paths.map(pointerOf)));
        expect(shapeProblems(value, redacted, paths)).toEqual([]);
        expect(JSON.stringify(value)).toBe(before);
        expect(({} as { a?: unknown }).a).toBeUndefined();
      }),
      runs(1543, 200),
    );
  }, 60_000);

  it("leaves no planted e-mail address in any string value of a record", () => {
    const places = [
      (leaf: string, rest: string) => `[${leaf},${rest}]`,
      (leaf: string, rest: string) => `{"a":${leaf},"b":${rest}}`,
      (leaf: string, rest: string) => `{"__proto__":${leaf},"b":${rest}}`,
      (leaf: string, rest: string) => `{"rest":${rest},"__proto__":{"contact":[[${leaf}]]}}`,
      (leaf: string, rest: string) => `{"mobilePhone":{"note":${leaf}},"b":${rest}}`,
    ];
    const withPlanted = fc
      .tuple(jsonText({ maxDepth: 3, maxDeepLeaf: 500 }), planted, fc.constantFrom(...places))
      .map(([rest, [before, address, after], place]) => ({
        value: JSON.parse(place(JSON.stringify(`${before}${address}${after}`), rest)) as unknown,
        address,
      }));
    fc.assert(
      fc.property(withPlanted, ({ value, address }) => {
        for (const text of strings(redactValue(value))) expect(text).not.toContain(address);
      }),
      runs(1544, 200),
    );
  });

  // FINDING: redactValue scrubs values only; an address used as an object key (a map of
  // recipients to statuses, `{"jane@example.com": "sent"}`) leaves for the bench as it was.
  it("leaves no planted e-mail address in an object key", () => {
    fc.assert(
      fc.property(planted, jsonText({ maxDepth: 2, maxDeepLeaf: 0 }), ([before, address, after], inner) => {
        const value = JSON.parse(`{${JSON.stringify(`${before}${address}${after}`)}:${inner}}`) as unknown;
        for (const text of strings(redactValue(value))) expect(text).not.toContain(address);
      }),
      runs(1545, 50),
    );
  });

  // FINDING: the placeholder `<phone>` is itself a phone word, so a bare number that follows a
  // redacted phone is kept on the first pass and taken on the second:
  // "+1 415 555 2671 4155552671" → "<phone> 4155552671" → "<phone> <phone>".
  it("is idempotent on text: redacting twice equals redacting once", () => {
    const phoneish = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            "+1 415 555 2671",
            "4155552671",
            "020 7946 0958",
            "4242 4242 4242 4242",
            " ",
            "phone ",
          ),
          hostileString,
        ),
        { maxLength: 6 },
      )
      .map((pieces) => pieces.join(""));
    fc.assert(
      fc.property(fc.oneof(hostileString, phoneish), (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
      }),
      runs(1546, 500),
    );
  });
});
