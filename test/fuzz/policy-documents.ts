import fc from "fast-check";
import { GUARDRAILS, TARGETED_GUARDRAILS } from "../../src/gate/policy.js";
import { deepNesting, hostileString, hugeStringOf, nestedText, PROTOTYPE_KEYS } from "./hostile.js";

/**
 * Gate policy documents as a careless or hostile author writes them: close to the grammar (so
 * many load), with YAML's own hazards (number forms that are not JSON's, `.nan`, anchors and
 * merge keys, tags, several documents, tabs, a byte order mark) and with raw bytes.
 */
export type Tree =
  | { readonly kind: "map"; readonly entries: readonly (readonly [string, Tree])[] }
  | { readonly kind: "seq"; readonly items: readonly Tree[] }
  | { readonly kind: "scalar"; readonly text: string };

const scalar = (text: string): Tree => ({ kind: "scalar", text });
const map = (entries: readonly (readonly [string, Tree])[]): Tree => ({ kind: "map", entries });

/** Numbers as YAML writes them; several are not JSON numbers, and `.nan`/`.inf` are not finite. */
const numberish = fc.constantFrom(
  "0.05",
  "1",
  "100",
  "-1",
  "-0",
  ".nan",
  ".NaN",
  ".inf",
  "-.inf",
  "1e999",
  "1e-999",
  "0x10",
  "0o17",
  "+1",
  "1_000",
  "~",
  "null",
  '"NaN"',
  '"0.1"',
  "123456789012345678901234567890",
  "2.5",
);

/** A key as YAML text: plain when it can be, else double-quoted (JSON escapes are YAML's too). */
function keyText(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) ? key : JSON.stringify(key);
}

const hostileScalar = fc.oneof(
  numberish,
  hostileString.map((text) => JSON.stringify(text)),
);

const limit: fc.Arbitrary<Tree> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom("max", "min"), numberish)
      .map(([side, value]) => map([[side, scalar(value)]])),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom("max", "min"), numberish, fc.constantFrom("fail", "warn", "block", "~"))
      .map(([side, value, action]) =>
        map([
          [side, scalar(value)],
          ["action", scalar(action)],
        ]),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constant(
      map([
        ["max", scalar("0.1")],
        ["min", scalar("0")],
      ]),
    ),
  },
  { weight: 1, arbitrary: hostileScalar.map(scalar) },
);

const guardrailName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...GUARDRAILS) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, "drift-rate", "Drift_Rate") },
);

const targets = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom("task_success", "refund_order", ...PROTOTYPE_KEYS), hostileString),
      limit,
    ),
    {
      maxLength: 3,
    },
  )
  .map((entries) => map(entries));

const guardrails: fc.Arbitrary<Tree> = fc
  .tuple(
    fc.array(fc.tuple(guardrailName, limit), { maxLength: 4 }),
    fc.array(fc.tuple(fc.constantFrom(...TARGETED_GUARDRAILS), targets), { maxLength: 2 }),
  )
  .map(([plain, targeted]) => map([...plain, ...targeted]));

const segment = fc
  .tuple(fc.oneof(fc.constantFrom("tenant", "plan.tier", "__proto__"), hostileString), guardrails)
  .map(([by, rails]) =>
    map([
      ["by", scalar(JSON.stringify(by))],
      ["guardrails", rails],
    ]),
  );

const entry = <T extends string>(key: T, value: fc.Arbitrary<Tree>) =>
  fc.option(
    value.map((tree) => [key, tree] as const),
    { nil: undefined, freq: 2 },
  );

/** A policy document's tree: the known keys, each maybe present and maybe wrong, plus strays. */
export const policyTree: fc.Arbitrary<Tree> = fc
  .tuple(
    fc.option(
      fc
        .constantFrom("1", "1.0", '"1"', "2", "0x1", "!!int 1", "~")
        .map((text) => ["version", scalar(text)] as const),
      {
        nil: undefined,
        freq: 8,
      },
    ),
    entry("guardrails", guardrails),
    entry("min_pairs", numberish.map(scalar)),
    entry("min_pairs_per_segment", numberish.map(scalar)),
    entry(
      "consecutive",
      fc.tuple(numberish, numberish).map(([windows, minutes]) =>
        map([
          ["windows", scalar(windows)],
          ["minutes", scalar(minutes)],
        ]),
      ),
    ),
    entry(
      "segments",
      fc.array(segment, { maxLength: 2 }).map((items): Tree => ({ kind: "seq", items })),
    ),
    fc.option(
      fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString), hostileScalar.map(scalar)),
      {
        nil: undefined,
        freq: 6,
      },
    ),
  )
  .map((entries) => map(entries.filter((item) => item !== undefined)));

export function renderFlow(tree: Tree): string {
  if (tree.kind === "scalar") return tree.text;
  if (tree.kind === "seq") return `[${tree.items.map(renderFlow).join(", ")}]`;
  return `{${tree.entries.map(([key, value]) => `${keyText(key)}: ${renderFlow(value)}`).join(", ")}}`;
}

export function renderBlock(tree: Tree, indent = ""): string {
  if (tree.kind !== "map" || tree.entries.length === 0) return renderFlow(tree);
  return tree.entries
    .map(([key, value]) =>
      value.kind === "map" && value.entries.length > 0
        ? `${indent}${keyText(key)}:\n${renderBlock(value, `${indent}  `)}`
        : `${indent}${keyText(key)}: ${renderFlow(value)}`,
    )
    .join("\n");
}

/** YAML's own hazards, applied to a rendered document. */
const yamlHazard = fc.constantFrom(
  (text: string) => text,
  (text: string) => `---\n${text}\n...\n`,
  (text: string) => `${text}\n---\n${text}\n`,
  (text: string) => `\ufeff${text}`,
  (text: string) => `# policy\n${text}\n# end`,
  (text: string) => text.replaceAll("  ", "\t"),
  (text: string) => `base: &base\n  version: 1\n<<: *base\n${text}`,
  (text: string) => `${text}\nextra: *undefined_anchor`,
  (text: string) => `${text}\nlaughs: [&a [x, x, x, x, x, x, x, x, x], [*a, *a, *a, *a, *a, *a, *a, *a, *a]]`,
  (text: string) => `%YAML 1.1\n---\n${text}`,
);

/** `depth` mappings, each indented one space more than its parent. */
function blockNesting(depth: number): string {
  return Array.from({ length: depth }, (_, level) => `${" ".repeat(level)}a:`).join("\n");
}

/**
 * Nesting the YAML parser survives: it recurses, and past about 800 levels it overflows the stack
 * (a located refusal the first time; see deepPolicyBytes for what follows). A policy needs six.
 */
const PARSER_SAFE_DEPTH = 200;

/**
 * A policy file as text, maybe followed by raw bytes (that are not UTF-8): kept apart so that a
 * counterexample prints as the text it is.
 */
export interface PolicyFile {
  readonly text: string;
  readonly tailBytes?: readonly number[];
}

export function bytesOf(file: PolicyFile): Buffer {
  return Buffer.concat([Buffer.from(file.text), Buffer.from(file.tailBytes ?? [])]);
}

const asFile = (text: string): PolicyFile => ({ text });

/** Policy files: rendered trees (YAML or JSON-like), nesting, raw bytes, huge text. */
export const policyFiles: fc.Arbitrary<PolicyFile> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(policyTree, fc.boolean(), yamlHazard)
      .map(([tree, block, hazard]) => asFile(hazard(block ? renderBlock(tree) : renderFlow(tree)))),
  },
  { weight: 1, arbitrary: deepNesting(1, PARSER_SAFE_DEPTH).map(asFile) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: PARSER_SAFE_DEPTH }).map((depth) => asFile(blockNesting(depth))),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.nat({ max: 255 }), { maxLength: 200 })
      .map((bytes) => ({ text: "", tailBytes: bytes })),
  },
  { weight: 1, arbitrary: hostileString.map(asFile) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(policyTree, fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80]))
      .map(([tree, invalid]) => ({ text: renderBlock(tree), tailBytes: invalid })),
  },
  {
    weight: 1,
    arbitrary: hugeStringOf(1 << 20).map((note) =>
      asFile(`version: 1\nguardrails: {}\nnote: ${JSON.stringify(note)}\n`),
    ),
  },
);

/**
 * Policy files nested past the parser's stack: collections of one item each, 1,000 to 5,000
 * deep. (Block mappings, and collections with a comma at each level, overflow elsewhere and are
 * refused without harm: they are in policyFiles' shallower range and the record suites.)
 */
export const deepPolicyFiles: fc.Arbitrary<PolicyFile> = fc
  .tuple(
    fc.integer({ min: 1_000, max: 5_000 }),
    fc.array(fc.constantFrom("[", '{"a":', '{"__proto__":'), { minLength: 1, maxLength: 3 }),
  )
  .map(([depth, openers]) => asFile(nestedText(depth, openers, "1")));

/**
 * Tags that make YAML build something other than JSON data: a Set, a Map, a Date, a Buffer. Such
 * a value passes a JSON Schema `type: object` with no own properties to check.
 */
export const exoticTags = fc
  .tuple(
    fc.constantFrom(
      (entries: readonly (readonly [string, Tree])[]) =>
        `!!set {${entries.map(([key]) => keyText(key)).join(", ")}}`,
      (entries: readonly (readonly [string, Tree])[]) =>
        `!!omap [${entries.map(([key, value]) => `{${keyText(key)}: ${renderFlow(value)}}`).join(", ")}]`,
      () => "!!timestamp 2001-12-14",
      () => '!!binary ""',
    ),
    guardrails,
  )
  .map(([tag, rails]) =>
    asFile(`version: 1\nguardrails: ${tag(rails.kind === "map" ? rails.entries : [])}\n`),
  );
