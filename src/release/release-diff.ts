import stableStringify from "fast-json-stable-stringify";
import type { ResolvedRelease, ToolDefinition } from "../contracts/release.js";

export interface ReleaseDiff {
  readonly identical: boolean;
  readonly from: { readonly id: string; readonly name: string; readonly version: string };
  readonly to: { readonly id: string; readonly name: string; readonly version: string };
  readonly model: { readonly from: string; readonly to: string } | null;
  readonly prompt: readonly PromptLineChange[];
  readonly tools: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly ToolChange[];
  };
  readonly memory: { readonly from: string | null; readonly to: string | null } | null;
  readonly config: readonly ConfigChange[];
}

export interface PromptLineChange {
  readonly op: "-" | "+";
  /** 1-based line in the old prompt (for `-`) or the new one (for `+`). */
  readonly line: number;
  readonly text: string;
}

export interface ToolChange {
  readonly name: string;
  readonly description: boolean;
  readonly parametersAdded: readonly string[];
  readonly parametersRemoved: readonly string[];
  /** Parameters whose schema or required-ness changed. */
  readonly parametersChanged: readonly string[];
}

export interface ConfigChange {
  readonly key: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** What changed between two releases, component by component (pure). */
export function diffReleases(a: ResolvedRelease, b: ResolvedRelease): ReleaseDiff {
  const modelA = `${a.model.provider}/${a.model.snapshot}`;
  const modelB = `${b.model.provider}/${b.model.snapshot}`;
  const memoryA = a.memory === null ? null : String(a.memory.schema_version);
  const memoryB = b.memory === null ? null : String(b.memory.schema_version);
  return {
    identical: a.id === b.id,
    from: { id: a.id, name: a.name, version: a.version },
    to: { id: b.id, name: b.name, version: b.version },
    model: modelA === modelB ? null : { from: modelA, to: modelB },
    prompt: lineDiff(a.prompt, b.prompt),
    tools: toolChanges(a.tools, b.tools),
    memory:
      memoryA === memoryB && stableStringify(a.memory) === stableStringify(b.memory)
        ? null
        : { from: memoryA, to: memoryB },
    config: configChanges(a.config, b.config),
  };
}

function toolChanges(
  a: Readonly<Record<string, ToolDefinition>>,
  b: Readonly<Record<string, ToolDefinition>>,
): ReleaseDiff["tools"] {
  const added = Object.keys(b)
    .filter((name) => !(name in a))
    .sort();
  const removed = Object.keys(a)
    .filter((name) => !(name in b))
    .sort();
  const changed: ToolChange[] = [];
  for (const name of Object.keys(a)
    .filter((name) => name in b)
    .sort()) {
    const before = a[name] as ToolDefinition;
    const after = b[name] as ToolDefinition;
    if (stableStringify(before) === stableStringify(after)) continue;
    const propsA = properties(before);
    const propsB = properties(after);
    const requiredA = new Set(required(before));
    const requiredB = new Set(required(after));
    changed.push({
      name,
      description: before.description !== after.description,
      parametersAdded: Object.keys(propsB)
        .filter((key) => !(key in propsA))
        .sort(),
      parametersRemoved: Object.keys(propsA)
        .filter((key) => !(key in propsB))
        .sort(),
      parametersChanged: Object.keys(propsA)
        .filter(
          (key) =>
            key in propsB &&
            (stableStringify(propsA[key]) !== stableStringify(propsB[key]) ||
              requiredA.has(key) !== requiredB.has(key)),
        )
        .sort(),
    });
  }
  return { added, removed, changed };
}

function properties(tool: ToolDefinition): Record<string, unknown> {
  return (tool.parameters.properties ?? {}) as Record<string, unknown>;
}

function required(tool: ToolDefinition): string[] {
  return Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : [];
}

function configChanges(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): ConfigChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((key) => stableStringify(a[key] ?? null) !== stableStringify(b[key] ?? null))
    .map((key) => ({ key, from: a[key] ?? null, to: b[key] ?? null }));
}

const MAX_PROMPT_CHANGES = 200;

/** Removed and added lines by longest common subsequence; bounded so a rewrite stays readable. */
export function lineDiff(before: string, after: string): PromptLineChange[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const below = lcs[i + 1] as number[];
    for (let j = b.length - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const changes: PromptLineChange[] = [];
  let i = 0;
  let j = 0;
  while ((i < a.length || j < b.length) && changes.length < MAX_PROMPT_CHANGES) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (
      i < a.length &&
      (j === b.length || (lcs[i + 1]?.[j] as number) >= (lcs[i]?.[j + 1] as number))
    ) {
      changes.push({ op: "-", line: i + 1, text: a[i] as string });
      i++;
    } else {
      changes.push({ op: "+", line: j + 1, text: b[j] as string });
      j++;
    }
  }
  return changes;
}
