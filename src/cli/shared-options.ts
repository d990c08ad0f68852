import { ShadowdiffError } from "../contracts/errors.js";
import { readDocument } from "../contracts/read-document.js";
import type { DiffRules } from "../contracts/rules.js";
import { resolveRules } from "../normalize/resolve-rules.js";
import { option } from "./option-table.js";

/** `--rules`: the diff rules of every command that compares pairs (`diff`, `run`, `consume`). */
export const rulesOption = option({
  flags: "--rules <file>",
  defaultText: "built-in rules",
  description: "diff rules (YAML/JSON)",
  env: "SHADOWDIFF_RULES",
});

/** `--since` / `--until`: the data window of `report` and `gate`. */
export const windowOptions = {
  since: option<number>({
    flags: "--since <time>",
    defaultText: "the first pair",
    description: "first time included (ISO 8601)",
    parse: parseTime,
  }),
  until: option<number>({
    flags: "--until <time>",
    defaultText: "now",
    description: "first time excluded (ISO 8601)",
    parse: parseTime,
  }),
} as const;

/** The window as optional report options (absent keys stay absent). */
export function windowOf(options: {
  readonly since: number | undefined;
  readonly until: number | undefined;
}): {
  since?: number;
  until?: number;
} {
  return {
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
  };
}

function parseTime(raw: string): number {
  const millis = Date.parse(raw);
  if (Number.isNaN(millis)) throw new ShadowdiffError("BAD_USAGE", `not an ISO 8601 time: ${raw}`);
  return Math.floor(millis / 1000);
}

/** The `--rules` file resolved against the defaults, or the defaults alone. */
export async function readRulesOption(path: string | undefined): Promise<DiffRules> {
  return path === undefined ? resolveRules(undefined) : resolveRules(await readDocument(path, "rules"), path);
}

/** Where release manifests' file references may point, for commands that load manifests. */
export const manifestRootOptions = {
  manifestRoot: option({
    flags: "--manifest-root <dir>",
    description: "directory a manifest's prompt and tool files must stay inside",
    defaultText: "each manifest's own folder",
    env: "SHADOWDIFF_MANIFEST_ROOT",
  }),
} as const;

export function manifestLoading(values: { readonly manifestRoot: string | undefined }): { root?: string } {
  return values.manifestRoot === undefined ? {} : { root: values.manifestRoot };
}
