import { createHash } from "node:crypto";
import stableStringify from "fast-json-stable-stringify";
import type { ReleaseStamp } from "../../contracts/exchange.js";
import {
  firstStringAttribute,
  isRecord,
  parseIfJson,
  stringAttribute,
  structuredAttribute,
} from "./attributes.js";
import type { ModelCall } from "./gen-ai-spans.js";
import type { Attributes, OtelSpan } from "./span.js";

/**
 * Which attributes give a record's id, release stamp and labels. Each list is read in order, on
 * the record's root span first and then on its resource; the first that holds a value wins.
 * Defaults are documented in docs/OTEL.md.
 */
export interface TraceMapping {
  readonly requestId: readonly string[];
  readonly releaseId: readonly string[];
  readonly releaseName: readonly string[];
  readonly releaseVersion: readonly string[];
  readonly releasePrompt: readonly string[];
  readonly releaseTools: readonly string[];
  /** label name → attribute. `tenant` read from `enduser.id` takes the id's tenant part. */
  readonly labels: Readonly<Record<string, string>>;
}

export const DEFAULT_TRACE_MAPPING: TraceMapping = {
  requestId: ["shadowdiff.request.id"],
  releaseId: ["shadowdiff.release.id"],
  releaseName: ["shadowdiff.release.name", "gen_ai.agent.name", "service.name"],
  releaseVersion: ["shadowdiff.release.version", "gen_ai.agent.version", "service.version"],
  releasePrompt: ["shadowdiff.release.prompt"],
  releaseTools: ["shadowdiff.release.tools"],
  labels: { tenant: "enduser.id", intent: "app.intent", locale: "app.locale" },
};

/** Reads an attribute on the root span, then on its resource. */
export function rootAttribute(root: OtelSpan, keys: readonly string[]): string | undefined {
  return firstStringAttribute(root.attributes, keys) ?? firstStringAttribute(root.resource, keys);
}

/**
 * The release that produced the trace. `prompt` and `tools` are digests: given by attributes, or
 * else `sha256:` of the stable-stringified content the first model call saw (its system
 * instructions or system messages; its tool definitions from `gen_ai.tool.definitions` or
 * OpenInference's `llm.tools.N.tool.json_schema`), or "" when the trace shows none. Without a
 * `shadowdiff.release.id`, the id is `sha256:` over name, version, model, prompt and tools, so
 * the same deployed bundle always gets the same id and any change to one part a new one.
 */
export function releaseOf(
  root: OtelSpan,
  first: ModelCall,
  model: string,
  mapping: TraceMapping,
): ReleaseStamp {
  const name = rootAttribute(root, mapping.releaseName);
  const version = rootAttribute(root, mapping.releaseVersion);
  const prompt = rootAttribute(root, mapping.releasePrompt) ?? promptDigest(first);
  const tools = rootAttribute(root, mapping.releaseTools) ?? toolsDigest(first.span.attributes);
  const id =
    rootAttribute(root, mapping.releaseId) ?? releaseId(name ?? null, version ?? null, model, prompt, tools);
  return {
    id,
    ...(name === undefined ? {} : { name }),
    ...(version === undefined ? {} : { version }),
    model,
    prompt,
    tools,
  };
}

interface ReleaseParts {
  readonly name: string | null;
  readonly version: string | null;
  readonly model: string;
  readonly prompt: string;
  readonly tools: string;
  readonly id: string;
}

/** The last release id made: traces of one release follow each other, and five string compares beat building the memo's key. */
let lastRelease: ReleaseParts | undefined;

function releaseId(
  name: string | null,
  version: string | null,
  model: string,
  prompt: string,
  tools: string,
): string {
  const last = lastRelease;
  if (
    last !== undefined &&
    last.model === model &&
    last.name === name &&
    last.version === version &&
    last.prompt === prompt &&
    last.tools === tools
  )
    return last.id;
  const id = releaseIds.digest(JSON.stringify([name, version, model, prompt, tools]), () =>
    sha256(stableStringify({ name, version, model, prompt, tools })),
  );
  lastRelease = { name, version, model, prompt, tools, id };
  return id;
}

function promptDigest(first: ModelCall): string {
  let system = first.content.systemInstructions;
  if (system === undefined) {
    const texts: string[] = [];
    for (const message of first.content.input)
      if (message.role === "system" || message.role === "developer") texts.push(message.text ?? "");
    system = texts.join("\n");
  }
  return system.length === 0 ? "" : prompts.digest(system, () => sha256(system));
}

const TOOL_SCHEMA_KEY = /^llm\.tools\.\d+\.tool\.json_schema$/;

function toolsDigest(attributes: Attributes): string {
  const declared = Object.hasOwn(attributes, "gen_ai.tool.definitions")
    ? attributes["gen_ai.tool.definitions"]
    : undefined;
  const schemaKeys: string[] = [];
  // The prefix first: the regex on every attribute key of every trace was most of this function.
  for (const key in attributes)
    if (key.startsWith("llm.tools.") && TOOL_SCHEMA_KEY.test(key) && Object.hasOwn(attributes, key))
      schemaKeys.push(key);
  schemaKeys.sort((a, b) => toolIndex(a) - toolIndex(b));
  if (declared === undefined && schemaKeys.length === 0) return "";
  // Keyed by the attributes' own text, so a release's tool list is parsed and hashed once.
  const raw = JSON.stringify([declared ?? null, ...schemaKeys.map((key) => attributes[key] ?? null)]);
  return toolLists.digest(raw, () => {
    const parsed = parseIfJson(declared);
    const definitions = Array.isArray(parsed)
      ? parsed
      : schemaKeys.map((key) => structuredAttribute(attributes, key));
    if (definitions.length === 0) return "";
    // Tool order in a request carries no meaning: sorted by canonical text, so it cannot change the id.
    return sha256(stableStringify(definitions.map((definition) => stableStringify(definition)).sort()));
  });
}

function toolIndex(key: string): number {
  return Number(/\.(\d+)\./.exec(key)?.[1] ?? 0);
}

/**
 * Release digests (`sha256:…`) by the text they are made from. A deployment has a handful of
 * releases, so every trace of one asks for the same digests: remembered, hashing and
 * stable-stringifying them per trace was a tenth of the mapping's time (bench/otel). One memo per
 * kind of text, so a prompt that reads like a tool list cannot take its digest. Bounded by the
 * text held (prompts and tool lists can be long): each is cleared past 4 M characters.
 */
class DigestMemo {
  private readonly digests = new Map<string, string>();
  private textLength = 0;

  digest(text: string, make: () => string): string {
    const known = this.digests.get(text);
    if (known !== undefined) return known;
    const made = make();
    const value = made === "" ? "" : `sha256:${made}`;
    if (this.textLength + text.length > MAX_MEMO_TEXT) {
      this.digests.clear();
      this.textLength = 0;
    }
    this.digests.set(text, value);
    this.textLength += text.length;
    return value;
  }
}

const MAX_MEMO_TEXT = 4_000_000;
const releaseIds = new DigestMemo();
const prompts = new DigestMemo();
const toolLists = new DigestMemo();

/**
 * Labels: each configured label from its attribute, and any `shadowdiff.label.NAME` attribute as
 * label NAME. `enduser.id` gives a tenant as its part before the first `:` or `/`
 * (`acme:user-17` → `acme`); an id without a separator names a user, not a tenant, and gives none.
 */
export function labelsOf(root: OtelSpan, mapping: TraceMapping): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const label of Object.keys(mapping.labels)) {
    const attribute = mapping.labels[label] as string;
    const value = stringAttribute(root.attributes, attribute) ?? stringAttribute(root.resource, attribute);
    if (value === undefined) continue;
    if (attribute === "enduser.id") {
      const tenant = /^([^:/]+)[:/]/.exec(value)?.[1];
      if (tenant !== undefined) setLabel(labels, label, tenant);
    } else setLabel(labels, label, value);
  }
  addPrefixedLabels(labels, root.resource);
  addPrefixedLabels(labels, root.attributes);
  return labels;
}

const LABEL_PREFIX = "shadowdiff.label.";

function addPrefixedLabels(labels: Record<string, string>, attributes: Attributes): void {
  for (const key in attributes) {
    if (!key.startsWith(LABEL_PREFIX) || !Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    if (typeof value === "string") setLabel(labels, key.slice(LABEL_PREFIX.length), value);
  }
}

function setLabel(labels: Record<string, string>, name: string, value: string): void {
  if (name === "__proto__") Object.defineProperty(labels, name, { value, enumerable: true });
  else labels[name] = value;
}

/** An outcome the agent committed to, when it put one on its span as JSON (`shadowdiff.outcome`). */
export function outcomeOf(root: OtelSpan): unknown {
  const outcome = structuredAttribute(root.attributes, "shadowdiff.outcome");
  return isRecord(outcome) || Array.isArray(outcome) ? outcome : null;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
