import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addOptions, option, readOptions } from "../../../src/cli/option-table.js";

/** The order the README promises: flag, then environment, then config file, then default. */
const table = {
  limit: option<number>({
    flags: "--limit <n>",
    description: "a number",
    env: "TEST_LIMIT",
    defaultValue: 50,
    parse: Number,
  }),
  by: option({ flags: "--by <labels>", description: "labels", env: "TEST_BY" }),
  tag: option<string[]>({
    flags: "--tag <t>",
    description: "repeatable",
    env: "TEST_TAGS",
    repeatable: true,
  }),
} as const;

function parse(argv: readonly string[]): Command {
  const command = addOptions(new Command("t").exitOverride(), table);
  command.parse([...argv], { from: "user" });
  return command;
}

describe("option precedence", () => {
  it("takes the flag over env, config and default", () => {
    const values = readOptions(parse(["--limit", "7"]), table, { limit: 9 }, { TEST_LIMIT: "8" });
    expect(values.limit).toBe(7);
  });

  it("takes env over config and default when no flag is given", () => {
    expect(readOptions(parse([]), table, { limit: 9 }, { TEST_LIMIT: "8" }).limit).toBe(8);
  });

  it("takes the config file over the default, and an empty env variable counts as unset", () => {
    expect(readOptions(parse([]), table, { limit: 9 }, { TEST_LIMIT: "" }).limit).toBe(9);
  });

  it("falls back to the default, and leaves an option without one undefined", () => {
    const values = readOptions(parse([]), table, {}, {});
    expect(values.limit).toBe(50);
    expect(values.by).toBeUndefined();
  });

  it("reads a repeatable option from repeated flags, a comma list in env, or one config value", () => {
    expect(readOptions(parse(["--tag", "a", "--tag", "b"]), table, {}, {}).tag).toEqual(["a", "b"]);
    expect(readOptions(parse([]), table, {}, { TEST_TAGS: "a,b" }).tag).toEqual(["a", "b"]);
    expect(readOptions(parse([]), table, { tag: "a" }, {}).tag).toEqual(["a"]);
  });
});
