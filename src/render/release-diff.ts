import type { ReleaseDiff } from "../release/release-diff.js";

/** `shadowdiff release diff` as text: one block per component that changed. */
export function renderReleaseDiff(diff: ReleaseDiff): string {
  const out = [
    `${diff.from.name}@${diff.from.version} (${diff.from.id})`,
    `  → ${diff.to.name}@${diff.to.version} (${diff.to.id})`,
  ];
  if (diff.identical) return `${[...out, "identical content: same release id"].join("\n")}\n`;
  if (diff.model) out.push(`model: ${diff.model.from} → ${diff.model.to}`);
  if (diff.prompt.length > 0) {
    out.push("prompt:");
    for (const change of diff.prompt)
      out.push(`  ${change.op}${String(change.line).padStart(4)} | ${change.text}`);
  }
  const tools = diff.tools;
  for (const name of tools.added) out.push(`tool added: ${name}`);
  for (const name of tools.removed) out.push(`tool removed: ${name}`);
  for (const tool of tools.changed) {
    const parts = [
      ...tool.parametersAdded.map((key) => `+${key}`),
      ...tool.parametersRemoved.map((key) => `-${key}`),
      ...tool.parametersChanged.map((key) => `~${key}`),
      ...(tool.description ? ["description"] : []),
    ];
    out.push(`tool changed: ${tool.name} (${parts.join(", ") || "schema"})`);
  }
  if (diff.memory) out.push(`memory schema: ${diff.memory.from ?? "none"} → ${diff.memory.to ?? "none"}`);
  for (const change of diff.config) {
    out.push(`config ${change.key}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`);
  }
  return `${out.join("\n")}\n`;
}
