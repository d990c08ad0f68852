/**
 * bench/diff: normalize + diff throughput on the fixture mix, side by side in one run with
 * (a) bare JSON.parse of the same two records and (b) structural diffs of the same records by
 * microdiff and jsondiffpatch. Lines are held in memory so the disk is not what is measured.
 *
 *   npm run bench:diff [-- --pairs 200000 --rounds 7]
 *
 * Each round runs every contender once on the same pairs, in rotating order; the report gives
 * the median pairs/s per contender and the ratio to bare parsing.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import * as jsondiffpatch from "jsondiffpatch";
import microdiff from "microdiff";
import { parse as parseYaml } from "yaml";
import { parseExchangeLine } from "../../src/contracts/validate-record.js";
import { diffPair } from "../../src/diff/pair-diff.js";
import { DiffTally } from "../../src/diff/tally.js";
import { compileRules } from "../../src/normalize/compile-rules.js";
import { pairScores, toolCounts } from "../../src/normalize/pair-scores.js";
import { resolveRules } from "../../src/normalize/resolve-rules.js";
import { ToolSchemaRegistry } from "../../src/normalize/tool-validity.js";
import { normalizeTrace } from "../../src/normalize/trace.js";
import { loadRelease } from "../../src/release/load.js";

const { values } = parseArgs({
  options: {
    pairs: { type: "string", default: "200000" },
    rounds: { type: "string", default: "7" },
    captures: { type: "string", default: "fixtures/captures" },
    only: { type: "string" },
  },
});
const targetPairs = Number(values.pairs);
const rounds = Number(values.rounds);

const lines = async (file: string) =>
  (await readFile(`${values.captures}/${file}`, "utf8")).split("\n").filter((line) => line.length > 0);
const baseline = await lines("baseline.jsonl");
const mix: [string, string][] = [];
for (const file of [
  "candidate-model-upgrade.jsonl",
  "candidate-prompt-tweak.jsonl",
  "candidate-reorder.jsonl",
]) {
  const candidate = await lines(file);
  candidate.forEach((line, index) => {
    mix.push([baseline[index] as string, line]);
  });
}
const pairs: [string, string][] = [];
while (pairs.length < targetPairs) pairs.push(...mix);
pairs.length = targetPairs;

const rules = compileRules(resolveRules(undefined));
const checkedRules = compileRules(
  resolveRules(parseYaml(await readFile("fixtures/rules.yaml", "utf8")), "fixtures/rules.yaml"),
);
const registry = new ToolSchemaRegistry();
for (const name of ["baseline", "candidate-model-upgrade", "candidate-prompt-tweak"]) {
  registry.register(await loadRelease(`fixtures/releases/${name}.yaml`));
}
const origin = { source: "bench", line: 1 };
const differ = jsondiffpatch.create({ objectHash: (item: object) => (item as { id?: string }).id ?? "" });

type Contender = { name: string; run: () => number };

/** The pipeline's per-pair work: with `scored`, also what a stored pair row adds (scores, checks, tools). */
function shadowdiff(compiled: typeof rules, scored: boolean): number {
  const tally = new DiffTally();
  for (const [b, c] of pairs) {
    const x = parseExchangeLine(b, origin);
    const y = parseExchangeLine(c, origin);
    if (!x.ok || !y.ok) throw new Error("fixture record invalid");
    const bt = normalizeTrace(x.record, compiled, registry.validatorFor(x.record.release.id));
    const ct = normalizeTrace(y.record, compiled, registry.validatorFor(y.record.release.id));
    tally.add(x.record.id, diffPair(bt, ct, compiled), bt, ct);
    if (scored)
      sink += pairScores(x.record, y.record, compiled.checks).names.length + toolCounts(bt, ct).names.length;
  }
  sink += tally.pairs;
  return pairs.length;
}
let sink = 0;
const contenders: Contender[] = [
  {
    name: "bare JSON.parse of both records",
    run: () => {
      for (const [b, c] of pairs) {
        const x = JSON.parse(b) as { id: string };
        const y = JSON.parse(c) as { id: string };
        sink += x.id.length + y.id.length;
      }
      return pairs.length;
    },
  },
  {
    name: "shadowdiff: parse + validate + normalize + diff + tally",
    run: () => shadowdiff(rules, false),
  },
  {
    name: "shadowdiff with scores, checks (fixtures/rules.yaml) and per-tool counts",
    run: () => shadowdiff(checkedRules, true),
  },
  {
    name: "microdiff: parse + structural diff",
    run: () => {
      for (const [b, c] of pairs) sink += microdiff(JSON.parse(b), JSON.parse(c)).length;
      return pairs.length;
    },
  },
  {
    name: "jsondiffpatch: parse + structural diff",
    run: () => {
      for (const [b, c] of pairs) sink += differ.diff(JSON.parse(b), JSON.parse(c)) === undefined ? 0 : 1;
      return pairs.length;
    },
  },
];

if (values.only !== undefined) {
  const only = values.only;
  contenders.splice(0, contenders.length, ...contenders.filter((contender) => contender.name.includes(only)));
}
const samples = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
for (const contender of contenders) contender.run(); // warm-up: JIT and Ajv caches
for (let round = 0; round < rounds; round++) {
  for (let offset = 0; offset < contenders.length; offset++) {
    const contender = contenders[(round + offset) % contenders.length] as Contender;
    const started = process.hrtime.bigint();
    const count = contender.run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    samples.get(contender.name)?.push(count / seconds);
  }
  process.stderr.write(`round ${round + 1}/${rounds}\n`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const parseRate = median(samples.get(contenders[0]?.name as string) ?? []);
const rows = contenders.map((contender) => {
  const rates = samples.get(contender.name) ?? [];
  return {
    contender: contender.name,
    median_pairs_per_s: Math.round(median(rates)),
    min: Math.round(Math.min(...rates)),
    max: Math.round(Math.max(...rates)),
    ratio_to_parse: Number((median(rates) / parseRate).toFixed(3)),
  };
});
console.log(
  `node ${process.version}, ${pairs.length} pairs per round (fixture mix of ${mix.length}), ${rounds} rounds`,
);
console.table(rows);
console.log(JSON.stringify({ bench: "diff", pairs: pairs.length, rounds, rows, sink: sink > 0 }));
