import { describe, expect, it } from "vitest";
import { joinByKey } from "../../../src/sources/join.js";

async function* items(values: string[]) {
  for (const value of values) yield value;
}

async function collect(left: string[], right: string[]) {
  const events = [];
  const keyOf = (value: string) => (value.startsWith("!") ? undefined : value);
  for await (const event of joinByKey(items(left), items(right), keyOf, keyOf)) events.push(event);
  return events;
}

describe("joinByKey", () => {
  it("pairs aligned streams in order", async () => {
    const events = await collect(["a", "b"], ["a", "b"]);
    expect(events).toEqual([
      { kind: "pair", left: "a", right: "a" },
      { kind: "pair", left: "b", right: "b" },
    ]);
  });

  it("pairs out-of-order streams and reports the leftovers on their side", async () => {
    const events = await collect(["a", "b", "c"], ["c", "a", "x"]);
    expect(
      events
        .filter((event) => event.kind === "pair")
        .map((event) => (event.kind === "pair" ? event.left : "")),
    ).toEqual(["a", "c"]);
    expect(events.filter((event) => event.kind === "unpaired")).toEqual([
      { kind: "unpaired", side: "left", item: "b" },
      { kind: "unpaired", side: "right", item: "x" },
    ]);
  });

  it("passes unkeyed items through on their side", async () => {
    const events = await collect(["!bad", "a"], ["a"]);
    expect(events[0]).toEqual({ kind: "unkeyed", side: "left", item: "!bad" });
  });
});
