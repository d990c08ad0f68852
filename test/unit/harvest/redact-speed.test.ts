import { describe, expect, it } from "vitest";
import { redactText } from "../../../src/harvest/redact.js";

// Scrubbing must be linear in the text: the old e-mail pattern took 7.9 s on 80,000 characters
// without an "@" and minutes on 1 MB. The bound is generous (the machine is shared); the speed
// itself is measured in bench/redact/run.ts.
const MB = 1 << 20;

function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function repeatTo(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function base64Blob(size: number): string {
  const random = pseudoRandom(7);
  const bytes = Buffer.alloc(Math.ceil((size * 3) / 4));
  for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(random() * 256);
  return bytes.toString("base64").slice(0, size);
}

function digitSoup(size: number): string {
  const random = pseudoRandom(11);
  const separators = [" ", "-", ".", "/", "(", ")", "+", " +", "0", "00", ":", ","];
  let text = "";
  while (text.length < size) {
    text += String(Math.floor(random() * 1e6)).padStart(1 + Math.floor(random() * 6), "0");
    text += separators[Math.floor(random() * separators.length)];
  }
  return text.slice(0, size);
}

const shapes: readonly (readonly [string, () => string])[] = [
  ["no @ at all (one long word)", () => "a".repeat(MB)],
  ["no @ at all (prose)", () => repeatTo("the quick brown fox, jumps.over-the_lazy dog ", MB)],
  ["many @", () => repeatTo("a@", MB)],
  ["many @ with dots", () => repeatTo("a.b@c.", MB)],
  ["many e-mail addresses", () => repeatTo("write jane.doe+x@mail.example.com or ", MB)],
  ["a long base64 blob", () => base64Blob(MB)],
  ["one digit run", () => "4".repeat(MB)],
  ["digits and spaces", () => repeatTo("4 ", MB)],
  ["card-like groups", () => repeatTo("4242 ", MB)],
  ["phone numbers", () => repeatTo("+44 20 7946 0958, 030 901820; (415) 555-2671 ", MB)],
  ["digit soup", () => digitSoup(MB)],
];

describe("redaction is linear in the text", () => {
  it.each(shapes)("1 MB, %s, in well under a second", (_name, build) => {
    const text = build();
    const started = performance.now();
    const redacted = redactText(text);
    const elapsed = performance.now() - started;
    expect(redacted.length).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(2000);
  });
});
