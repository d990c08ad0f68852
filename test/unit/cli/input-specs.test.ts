import { describe, expect, it } from "vitest";
import { parseInputSpecs } from "../../../src/cli/input-specs.js";

const run = { bare: "file", otherwise: "only file: and otlp: sources are read by run" } as const;

describe("parseInputSpecs", () => {
  it("reads each allowed kind and its value", () => {
    expect(
      parseInputSpecs(
        ["file:a.jsonl", "otlp:t.jsonl", "release:m.yaml"],
        "--candidate",
        ["file", "otlp", "release"],
        run,
      ),
    ).toEqual([
      { kind: "file", value: "a.jsonl", spec: "file:a.jsonl" },
      { kind: "otlp", value: "t.jsonl", spec: "otlp:t.jsonl" },
      { kind: "release", value: "m.yaml", spec: "release:m.yaml" },
    ]);
  });

  it("takes a bare path (and a Windows drive) as the bare kind when the command allows it", () => {
    expect(
      parseInputSpecs(["captures/b.jsonl", "C:\\b.jsonl"], "--source", ["file"], run).map(
        (spec) => spec.kind,
      ),
    ).toEqual(["file", "file"]);
    expect(() =>
      parseInputSpecs(["b.jsonl"], "--candidate", ["file", "topic"], {
        otherwise: "expected file:PATH or topic:NAME",
      }),
    ).toThrow("--candidate b.jsonl: expected file:PATH or topic:NAME");
  });

  it("refuses a kind the flag does not take, and an unknown scheme, naming the flag and the spec", () => {
    expect(() => parseInputSpecs(["topic:t"], "--source", ["file", "otlp"], run)).toThrow(
      "--source topic:t: only file: and otlp: sources are read by run",
    );
    expect(() => parseInputSpecs(["kafka:agent.exchanges"], "--source", ["file"], run)).toThrow(
      "--source kafka:agent.exchanges",
    );
  });
});
