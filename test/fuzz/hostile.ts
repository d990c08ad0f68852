import fc from "fast-check";

/**
 * Generators of hostile values for the fuzz suite: what a broken producer, a careless user or an
 * attacker puts where shadowdiff expects data. Values are built as JSON text, so number tokens
 * reach the parser as written (`1e999`, `-0`, 30-digit integers), duplicate and prototype keys stay
 * in the text, and nesting thousands deep is built by a loop (JSON.stringify would recurse).
 */

/** Keys that mean something to JavaScript objects: each must stay plain data. */
export const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
] as const;

const PIECES = [
  "",
  " ",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\r",
  "\n",
  "\t",
  "\u2028",
  "\u2029",
  // bidi overrides and isolates, zero-width characters, a byte order mark, the replacement char
  "\u202e",
  "\u2066",
  "\u2069",
  "\u200f",
  "\u200b",
  "\ufeff",
  "\ufffd",
  // lone and paired surrogates
  "\ud800",
  "\udfff",
  "\udbff\udfff",
  "\ud83d\ude00",
  "\\",
  '"',
  "{",
  "]",
  "[[[[",
  "{{{{",
  "</script>",
  "%00",
  "%ff",
  "../",
  ...PROTOTYPE_KEYS,
  "NaN",
  "Infinity",
  "-0",
  "1e999",
  "null",
  "jane@example.com",
  "+1 415 555 2671",
  "4242 4242 4242 4242",
  "020 7946 0958",
  "phone",
  "123e4567-e89b-12d3-a456-426614174000",
  "2026-11-20T09:00:00Z",
  "e\u0301",
  "日本",
  "\u0130",
] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));

/** Short strings of hostile pieces, random code points, lone surrogates and control characters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
          { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
          { weight: 1, arbitrary: loneSurrogate },
          { weight: 1, arbitrary: controlChar },
        ),
        { maxLength: 10 },
      )
      .map((pieces) => pieces.join("")),
  },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
);

/** One hostile piece repeated to 1 MB and up to `maxLength`: generated rarely, it is the costly case. */
export function hugeStringOf(maxLength: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...PIECES.filter((piece) => piece !== "")),
      fc.integer({ min: 1 << 20, max: maxLength }),
    )
    .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));
}

export const hugeString: fc.Arbitrary<string> = hugeStringOf(3 << 20);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, "", "0", "-1", "length", "type", "name", "a") },
  { weight: 1, arbitrary: hostileString },
);

/** Number tokens as written in JSON text: overflow, underflow, negative zero, beyond 2^53. */
const NUMBER_TOKENS = [
  "0",
  "-0",
  "1e999",
  "-1e999",
  "1E+400",
  "1e-999",
  "-1e-999",
  "5e-324",
  "1.7976931348623157e308",
  "9007199254740993",
  "-9007199254740993",
  "123456789012345678901234567890",
  "0.1",
  "1e2",
  "-1",
] as const;

export const numberToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...NUMBER_TOKENS) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String) },
);

/** Number tokens JSON.parse reads as finite numbers (no overflow to Infinity). */
export const finiteNumberToken: fc.Arbitrary<string> = numberToken.filter((token) =>
  Number.isFinite(Number(token)),
);

/** A string as a JSON token (lone surrogates come out as `\ud800` escapes, as JSON.stringify writes). */
export const stringToken = hostileString.map((text) => JSON.stringify(text));

/** The opening tokens a nesting level may start with; each is closed by `]` or `}`. */
const OPENERS = ["[", '{"a":', '{"__proto__":', '{"constructor":', "[0,", '{"k":1,"k":'] as const;

/** `depth` levels of nesting around a leaf, as text, built by a loop. */
export function nestedText(depth: number, openers: readonly string[], leaf: string): string {
  const opens: string[] = new Array(depth);
  const closes: string[] = new Array(depth);
  for (let level = 0; level < depth; level++) {
    const open = openers[level % openers.length] as string;
    opens[level] = open;
    closes[depth - 1 - level] = open.startsWith("[") ? "]" : "}";
  }
  return `${opens.join("")}${leaf}${closes.join("")}`;
}

export function deepNesting(
  minDepth: number,
  maxDepth: number,
  numbers: fc.Arbitrary<string> = numberToken,
): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.integer({ min: minDepth, max: maxDepth }),
      fc.array(fc.constantFrom(...OPENERS), { minLength: 1, maxLength: 3 }),
      fc.oneof(numbers, stringToken, fc.constant("null")),
    )
    .map(([depth, openers, leaf]) => nestedText(depth, openers, leaf));
}

export interface JsonTextOptions {
  /** Levels of ordinary (generated) nesting. */
  readonly maxDepth: number;
  /** Deepest nesting a leaf may hide; 0 for none. */
  readonly maxDeepLeaf: number;
  /** Number tokens; `numberToken` unless given. */
  readonly numbers?: fc.Arbitrary<string>;
}

/** JSON text of hostile values: any JSON value, with the keys, strings and numbers above. */
export function jsonText(options: JsonTextOptions): fc.Arbitrary<string> {
  const numbers = options.numbers ?? numberToken;
  const leaves: fc.Arbitrary<string>[] = [stringToken, numbers, fc.constantFrom("true", "false", "null")];
  const leaf = fc.oneof(
    { weight: 8, arbitrary: fc.oneof(...leaves) },
    ...(options.maxDeepLeaf > 0
      ? [{ weight: 1, arbitrary: deepNesting(1, options.maxDeepLeaf, numbers) }]
      : []),
  );
  const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
    value: fc.oneof(
      { maxDepth: options.maxDepth, depthIdentifier: "json" },
      leaf,
      tie("array"),
      tie("object"),
    ),
    array: fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    object: objectOf(tie("value")),
  }));
  return value;
}

/** JSON text of an object whose members hold `member` texts, under hostile (and repeated) keys. */
export function objectOf(member: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(hostileKey, member), { maxLength: 4 })
    .map((entries) => `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${item}`).join(",")}}`);
}

/** An e-mail address of the everyday shape, to plant in text and check that it is gone. */
export const emailAddress: fc.Arbitrary<string> = fc
  .tuple(
    fc
      .array(fc.stringMatching(/^[a-z0-9][a-z0-9_%+-]{0,5}$/), { minLength: 1, maxLength: 3 })
      .map((words) => words.join(".")),
    fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/), { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[a-z]{2,6}$/),
  )
  .map(([local, labels, top]) => `${local}@${[...labels, top].join(".")}`);
