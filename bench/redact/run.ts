/**
 * bench/redact: how long `redactText` takes, by input shape and size.
 *
 *   npx tsx bench/redact/run.ts [--rounds 5] [--scale-rounds 3]
 *
 * Part 1 times the implementation before issue 14 (bench/redact/baseline.ts) and the current one
 * side by side, in one process and in rotating order, on texts of 20–80 KB where the old one still
 * finishes in seconds. Part 2 times the current one alone on 1 MB and 10 MB. Every figure is the
 * median of the rounds; raw JSON lines are printed at the end.
 */
import { parseArgs } from "node:util";
import { redactText } from "../../src/harvest/redact.js";
import { baselineRedactText } from "./baseline.js";
import { QUADRATIC_SHAPES, SCALE_SHAPES } from "./inputs.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    "scale-rounds": { type: "string", default: "3" },
  },
});
const rounds = Number(values.rounds);
const scaleRounds = Number(values["scale-rounds"]);

const KB = 1024;
const MB = 1024 * KB;
let sink = 0;

function timeOnce(redact: (text: string) => string, text: string): number {
  const started = process.hrtime.bigint();
  sink += redact(text).length;
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (samples: readonly number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const rows: Record<string, unknown>[] = [];
const contenders = [
  { name: "before issue 14", redact: baselineRedactText },
  { name: "current", redact: redactText },
];

// Warm-up: JIT and libphonenumber's metadata, on a small text of every shape.
for (const shape of SCALE_SHAPES) for (const contender of contenders) contender.redact(shape.build(4 * KB));

console.log("Part 1: before vs current (median ms of %d rounds)", rounds);
console.log("| shape | size | before issue 14 | current | ratio |");
for (const shape of QUADRATIC_SHAPES) {
  for (const size of [20 * KB, 40 * KB, 80 * KB]) {
    const text = shape.build(size);
    const samples = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let offset = 0; offset < contenders.length; offset++) {
        const contender = contenders[(round + offset) % contenders.length] as (typeof contenders)[number];
        samples.get(contender.name)?.push(timeOnce(contender.redact, text));
      }
    }
    const before = median(samples.get("before issue 14") ?? []);
    const current = median(samples.get("current") ?? []);
    console.log(
      `| ${shape.name} | ${size / KB} KB | ${before.toFixed(1)} | ${current.toFixed(2)} | ×${Math.round(before / current)} |`,
    );
    rows.push({
      part: 1,
      shape: shape.name,
      bytes: size,
      before_ms: before,
      current_ms: current,
      samples: Object.fromEntries(samples),
    });
  }
}

console.log("\nPart 2: current at scale (median ms of %d rounds)", scaleRounds);
console.log("| shape | 1 MB | 10 MB | MB/s at 10 MB |");
for (const shape of SCALE_SHAPES) {
  const medians: number[] = [];
  for (const size of [MB, 10 * MB]) {
    const text = shape.build(size);
    const samples: number[] = [];
    for (let round = 0; round < scaleRounds; round++) samples.push(timeOnce(redactText, text));
    medians.push(median(samples));
    rows.push({ part: 2, shape: shape.name, bytes: size, current_ms: median(samples), samples });
  }
  const [oneMb, tenMb] = medians as [number, number];
  console.log(
    `| ${shape.name} | ${oneMb.toFixed(0)} ms | ${tenMb.toFixed(0)} ms | ${(10 / (tenMb / 1000)).toFixed(1)} |`,
  );
}

for (const row of rows) console.log(JSON.stringify({ bench: "redact", ...row }));
if (sink === 0) console.error("nothing redacted");
