import { type Command, Option } from "commander";
import { ShadowdiffError } from "../contracts/errors.js";

/**
 * One typed table per command describes every option once: its flag, its environment variable,
 * its config-file key and how to parse it. Commander options are built from the table and values
 * are read back through it, so a flag cannot drift from its config key.
 * Precedence: flag > environment > config file > default.
 */
export interface OptionSpec<T> {
  /** Flag as commander writes it: `--candidate <file>`, `--strict`. The key is its camelCase name. */
  readonly flags: string;
  readonly description: string;
  readonly env?: string;
  readonly choices?: readonly string[];
  readonly repeatable?: boolean;
  readonly required?: boolean;
  readonly defaultValue?: T;
  /**
   * What happens without the option, for `--help`, when `defaultValue` does not say it (computed
   * defaults: "the baseline with most pairs", "stdout", "all").
   */
  readonly defaultText?: string;
  readonly parse?: (raw: string) => T;
}

export type OptionTable = Readonly<Record<string, OptionSpec<unknown>>>;

export type OptionValues<Table extends OptionTable> = {
  readonly [K in keyof Table]: Table[K] extends OptionSpec<infer T>
    ? Table[K] extends { readonly required: true }
      ? T
      : Table[K] extends { readonly defaultValue: T }
        ? T
        : T | undefined
    : never;
};

/** Declares one option; the overloads keep `required` and `defaultValue` visible to the value type. */
export function option<T = string>(
  spec: OptionSpec<T> & { readonly required: true },
): OptionSpec<T> & { readonly required: true };
export function option<T = string>(
  spec: OptionSpec<T> & { readonly defaultValue: T },
): OptionSpec<T> & { readonly defaultValue: T };
export function option<T = string>(spec: OptionSpec<T>): OptionSpec<T>;
export function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

export function addOptions(command: Command, table: OptionTable): Command {
  for (const [key, spec] of Object.entries(table)) {
    const commanderOption = new Option(spec.flags, helpText(spec));
    if (commanderOption.attributeName() !== key)
      throw new Error(`option table key ${key} does not match ${spec.flags}`);
    if (spec.choices) commanderOption.choices(spec.choices);
    if (spec.repeatable)
      commanderOption.argParser((value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        value,
      ]);
    command.addOption(commanderOption);
  }
  return command;
}

/**
 * The help line: description, then what applies without the flag, then the env variable. The
 * default is written into the text rather than given to commander, which would then report the
 * default as if it were a flag and hide the env variable and config file behind it.
 */
function helpText(spec: OptionSpec<unknown>): string {
  const takesValue = spec.flags.includes("<") || spec.flags.includes("[");
  const fallback = spec.required
    ? " (required)"
    : spec.defaultText !== undefined
      ? ` (default: ${spec.defaultText})`
      : takesValue && spec.defaultValue !== undefined
        ? ` (default: ${Array.isArray(spec.defaultValue) ? spec.defaultValue.join(",") : String(spec.defaultValue)})`
        : "";
  return `${spec.description}${fallback}${spec.env ? ` [env ${spec.env}]` : ""}`;
}

/** Reads option values back through the table: flag, then env, then config file, then default. */
export function readOptions<Table extends OptionTable>(
  command: Command,
  table: Table,
  config: Readonly<Record<string, unknown>> = {},
  env: NodeJS.ProcessEnv = process.env,
): OptionValues<Table> {
  const flags = command.opts();
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const flagName = spec.flags.split(/[ ,]/)[0] ?? key;
    const fromFlag = flags[key];
    const fromEnv = spec.env ? env[spec.env] : undefined;
    const fromConfig = config[kebab(key)] ?? config[key];
    let value: unknown;
    if (fromFlag !== undefined) value = parseValue(spec, fromFlag, flagName);
    else if (fromEnv !== undefined && fromEnv !== "")
      value = parseValue(spec, spec.repeatable ? fromEnv.split(",") : fromEnv, spec.env ?? key);
    else if (fromConfig !== undefined) value = parseValue(spec, fromConfig, `config ${kebab(key)}`);
    else value = spec.defaultValue;
    if (value === undefined && spec.required) {
      throw new ShadowdiffError(
        "BAD_USAGE",
        `missing required option ${flagName}${spec.env ? ` (or env ${spec.env})` : ""}`,
      );
    }
    values[key] = value;
  }
  return values as OptionValues<Table>;
}

function parseValue(spec: OptionSpec<unknown>, raw: unknown, from: string): unknown {
  if (spec.repeatable && !Array.isArray(raw)) return [parseValue({ ...spec, repeatable: false }, raw, from)];
  if (Array.isArray(raw)) {
    if (!spec.repeatable) throw new ShadowdiffError("BAD_USAGE", `${from}: expected one value, got a list`);
    return raw.map((item) => parseValue({ ...spec, repeatable: false }, item, from));
  }
  const takesValue = spec.flags.includes("<") || spec.flags.includes("[");
  if (!takesValue) {
    if (typeof raw === "boolean") return raw;
    // A boolean flag given by env or config as text.
    if (typeof raw === "string") return raw === "1" || raw.toLowerCase() === "true";
    throw new ShadowdiffError("BAD_USAGE", `${from}: expected true or false, got ${JSON.stringify(raw)}`);
  }
  // A config file may hold numbers (`limit: 5`): they are checked as their text is. Objects and
  // nulls are no option's value.
  if (typeof raw === "number") raw = String(raw);
  if (typeof raw !== "string") {
    throw new ShadowdiffError("BAD_USAGE", `${from}: expected a value, got ${JSON.stringify(raw)}`);
  }
  if (spec.choices && !spec.choices.includes(raw)) {
    throw new ShadowdiffError("BAD_USAGE", `${from}: '${raw}' is not one of ${spec.choices.join(", ")}`);
  }
  if (spec.parse === undefined) return raw;
  try {
    return spec.parse(raw);
  } catch (error) {
    if (error instanceof ShadowdiffError) throw error;
    throw new ShadowdiffError(
      "BAD_USAGE",
      `${from}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
