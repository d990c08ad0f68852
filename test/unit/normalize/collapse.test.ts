import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { needsCollapse } from "../../../src/normalize/trace.js";

describe("needsCollapse", () => {
  // The test it replaced, kept here as the reference.
  const reference = (text: string) => /\s\s|[^\S ]|^\s|\s$/.test(text);
  const characters = fc.constantFrom(
    " ",
    "a",
    "b",
    "\t",
    "\n",
    "\r",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\ufeff",
    "é",
  );

  it("is the anchored whitespace test, on any mix of spaces, other whitespace and letters", () => {
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 12 }), (list) => {
        const text = list.join("");
        expect(needsCollapse(text)).toBe(reference(text));
      }),
      { seed: 7, numRuns: 3000 },
    );
    for (const text of ["", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\u00a0b"])
      expect(needsCollapse(text)).toBe(reference(text));
  });
});
