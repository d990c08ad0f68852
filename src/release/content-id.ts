import { createHash } from "node:crypto";
import stableStringify from "fast-json-stable-stringify";
import type { ReleaseStamp } from "../contracts/exchange.js";
import type { ResolvedRelease } from "../contracts/release.js";

/** The parts of a release that set behaviour; a change to any of them is a new release. */
export type ReleaseContent = Pick<ResolvedRelease, "model" | "prompt" | "tools" | "memory" | "config">;

/**
 * `sha256:` over the stable-stringified behavioural content. Name, version, metadata and endpoint
 * are left out on purpose: renaming a release or moving it to another provider URL does not change
 * what the agent does, and the same bundle must keep the same id wherever it is deployed.
 */
export function releaseContentId(content: ReleaseContent): string {
  const canonical = stableStringify({
    model: content.model,
    prompt: content.prompt,
    tools: content.tools,
    memory: content.memory,
    config: content.config,
  });
  return `sha256:${sha256Hex(canonical)}`;
}

/** The stamp every exchange record carries: enough to tell which release answered. */
export function releaseStamp(release: ResolvedRelease): ReleaseStamp {
  return {
    id: release.id,
    name: release.name,
    version: release.version,
    model: `${release.model.provider}/${release.model.snapshot}`,
    prompt: `sha256:${sha256Hex(release.prompt)}`,
    tools: `sha256:${sha256Hex(stableStringify(release.tools))}`,
  };
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
