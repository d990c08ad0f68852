/**
 * Texts for bench/redact: deterministic (a fixed-seed generator), built to a size in characters.
 * "token" and "hex" are runs without an "@" such as minified code, hashes and base64url blobs
 * carry: the shape that made the old e-mail pattern quadratic.
 */
export type Shape = { readonly name: string; readonly build: (size: number) => string };

function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

function repeatTo(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function fromUnits(size: number, unit: (random: () => number) => string): string {
  const random = generator(17);
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const part = unit(random);
    parts.push(part);
    length += part.length;
  }
  return parts.join("").slice(0, size);
}

const digits = (random: () => number, count: number) => {
  let text = "";
  for (let index = 0; index < count; index++) text += Math.floor(random() * 10);
  return text;
};

// A system prompt and tool traffic as agents send them: dates, times, amounts, ids, and PII.
const RECORD =
  "Current time: 2024-05-15 15:00:00 EST. User jane.doe+shop@example.co.uk (user id: jane_doe_4421) " +
  "asked to rebook order #W8732376 (total $1,234.56, paid with 4242 4242 4242 4242) for " +
  "2024-05-20 (11:00 AM); call back on +44 20 7946 0958 or (415) 555-2671. Trace " +
  "2a5ae5f1-4382-4a9c-a888-849f477ef5bb, item 1008292230, server 10.0.0.12, v2024.05.1.\n";

export const QUADRATIC_SHAPES: readonly Shape[] = [
  { name: "token without @", build: (size) => "a".repeat(size) },
  {
    name: "hex without @",
    build: (size) => fromUnits(size, (random) => "0123456789abcdef"[Math.floor(random() * 16)] as string),
  },
];

export const SCALE_SHAPES: readonly Shape[] = [
  ...QUADRATIC_SHAPES,
  {
    name: "prose without @",
    build: (size) => repeatTo("the quick brown fox jumps over the lazy dog. ", size),
  },
  {
    name: "base64 blob",
    build: (size) => {
      const random = generator(5);
      const bytes = Buffer.alloc(Math.ceil((size * 3) / 4));
      for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(random() * 256);
      return bytes.toString("base64").slice(0, size);
    },
  },
  { name: "many @", build: (size) => repeatTo("a@", size) },
  {
    name: "many digit groups",
    build: (size) =>
      fromUnits(
        size,
        (random) => `${digits(random, 1 + Math.floor(random() * 6))}${" -./"[Math.floor(random() * 4)]}`,
      ),
  },
  {
    name: "unique phone numbers",
    build: (size) =>
      fromUnits(
        size,
        (random) => `+${digits(random, 2)} ${digits(random, 3)} ${digits(random, 3)} ${digits(random, 4)}, `,
      ),
  },
  { name: "agent records", build: (size) => repeatTo(RECORD, size) },
];
