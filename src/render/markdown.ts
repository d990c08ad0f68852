import { withoutControls } from "./text-table.js";

/**
 * Text placed in GitHub-flavoured Markdown: a backslash, a pipe (which would end a table cell),
 * `&` and `<` (which would start an entity or an HTML tag) are escaped, and a line break becomes
 * `<br>` so a label with a newline stays in its cell or list item instead of ending the table.
 */
export function markdownText(text: string): string {
  const escaped = text
    .replaceAll("\\", "\\\\")
    .replaceAll("|", "\\|")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replace(/\r\n|\r|\n/g, "<br>");
  return withoutControls(escaped);
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.map(markdownText).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${header.map((_, column) => markdownText(row[column] ?? "")).join(" | ")} |`),
  ].join("\n");
}
