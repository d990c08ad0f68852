import { parseDocument } from "yaml";
import { ShadowdiffError } from "./errors.js";

/**
 * How deep a rules, policy or manifest document may nest. Real ones nest a handful of levels;
 * the YAML parser recurses, and a few hundred levels of `[[[…` overflowed its stack (a second
 * such file in the same process then aborted node with exit 134). Checked on the text first.
 */
export const MAX_DOCUMENT_DEPTH = 64;
/** Block nesting is indentation: this many leading spaces is far past any real document. */
const MAX_INDENT = 256;

export type DocumentKind = "rules" | "policy" | "manifest";

/**
 * Parses a YAML or JSON document (rules, policy, manifest) from its text; `source` names it in
 * errors. YAML is a superset of JSON, so one parser reads both. Pure, so the stages that interpret
 * documents (a policy in src/gate) never touch the file system. Only plain data comes out: YAML
 * tags that make sets, ordered maps, dates or binaries (`guardrails: !!set {}` loaded as a policy
 * that checks nothing) and unknown tags are refused, as are duplicate keys.
 */
export function parseDocumentText(text: string, source: string, kind: DocumentKind): unknown {
  const refuse = (reason: string): never => {
    throw new ShadowdiffError(codeOf(kind), `${source}: ${reason}`, { context: { source } });
  };
  const tooDeep = nestingProblem(text);
  if (tooDeep !== undefined) refuse(tooDeep);
  // `logLevel: silent`: warnings are read below; printed, they would quote the file.
  const document = parseDocument(text, { schema: "core", uniqueKeys: true, logLevel: "silent" });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem !== undefined) refuse(`not valid YAML or JSON (${problem.message.split("\n")[0]})`);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    refuse(`not valid YAML or JSON (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  const notPlain = firstNonPlainValue(value);
  if (notPlain !== undefined)
    refuse(
      `${notPlain.path || "/"}: ${notPlain.what} (only plain data: maps, lists, strings, numbers, booleans, null)`,
    );
  return value;
}

function codeOf(kind: DocumentKind): "INVALID_RULES" | "INVALID_POLICY" | "INVALID_MANIFEST" {
  return kind === "rules" ? "INVALID_RULES" : kind === "policy" ? "INVALID_POLICY" : "INVALID_MANIFEST";
}

/** Flow nesting (brackets outside quotes) or indentation past the limits, found in one pass. */
function nestingProblem(text: string): string | undefined {
  let depth = 0;
  let quote = 0;
  let lineStart = true;
  let indent = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x0a) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (code === 0x20) {
        if (++indent > MAX_INDENT) return `indented more than ${MAX_INDENT} columns`;
        continue;
      }
      lineStart = false;
    }
    if (quote !== 0) {
      if (code === 0x5c && quote === 0x22) index++;
      else if (code === quote) quote = 0;
    } else if (code === 0x22 || code === 0x27) quote = code;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > MAX_DOCUMENT_DEPTH) return `nested deeper than ${MAX_DOCUMENT_DEPTH} levels`;
    } else if (code === 0x5d || code === 0x7d) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** The first value that is not plain data (a Set, Map, Date, Buffer …), by JSON pointer. */
function firstNonPlainValue(root: unknown): { path: string; what: string } | undefined {
  const stack: [unknown, string][] = [[root, ""]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) stack.push([value[index], `${path}/${index}`]);
      continue;
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      return {
        path,
        what: `a ${value.constructor?.name ?? "non-plain value"} (a YAML tag like !!set, !!omap, !!timestamp or !!binary)`,
      };
    }
    for (const [key, item] of Object.entries(value)) stack.push([item, `${path}/${key}`]);
  }
  return undefined;
}
