import { describe, expect, it } from "vitest";
import type { ReportData } from "../../../src/analyze/report-reader.js";
import { report, reportData } from "../render/report-data.js";

/** The data's tenant segments relabelled as `task` segments with the given values. */
function byTask(values: readonly string[]): ReportData {
  const data = reportData({ byTenant: true });
  const [overall, ...tenants] = data.segments;
  if (overall === undefined) throw new Error("no overall segment");
  const segments = tenants.slice(0, values.length).map((segment, index) => ({
    ...segment,
    dimension: "task",
    segment: values[index] as string,
  }));
  return { ...data, dimensions: ["task"], segments: [overall, ...segments], aaSegments: new Map() };
}

const order = (data: ReportData) => report(data).segments.task?.map((segment) => segment.value);

describe("--by ordering of segment values", () => {
  it("sorts numbers as numbers when every value of the label is a number", () => {
    expect(order(byTask(["10", "9", "2", "-1", "1.5"]))).toEqual(["-1", "1.5", "2", "9", "10"]);
  });

  it("sorts as text when any value is not a number", () => {
    expect(order(byTask(["10", "9", "b", "a"]))).toEqual(["10", "9", "a", "b"]);
  });

  it("puts pairs without the label last, and still sorts the numbers numerically", () => {
    expect(order(byTask(["10", "(none)", "9"]))).toEqual(["9", "10", "(none)"]);
  });
});

describe("a label called __proto__", () => {
  it("is a segment dimension like any other", () => {
    const data = byTask(["a", "b"]);
    const segments = data.segments.map((segment) =>
      segment.dimension === "task" ? { ...segment, dimension: "__proto__" } : segment,
    );
    const built = report({ ...data, dimensions: ["__proto__"], segments });
    expect(Object.keys(built.segments)).toEqual(["__proto__"]);
    expect(
      Object.getOwnPropertyDescriptor(built.segments, "__proto__")?.value?.map(
        (s: { value: string }) => s.value,
      ),
    ).toEqual(["a", "b"]);
    expect(JSON.parse(JSON.stringify(built)).segments).toHaveProperty(["__proto__"]);
  });
});
