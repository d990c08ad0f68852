/**
 * bench/diff/compare-builds: the diff bench's two shadowdiff loops of two builds side by side in
 * one process, on the same pairs, in rotating rounds, timed by CPU time. On a shared machine a
 * whole bench run of one build and then the other spreads more than most changes; this pairs
 * every sample of one build with a sample of the other taken moments apart.
 *
 *   git worktree add ../before <commit> && ln -s $PWD/node_modules ../before/node_modules
 *   npx tsx bench/diff/compare-builds.ts --before ../before [--pairs 20000 --rounds 21]
 *
 * Both builds must give the same categories on the pairs, or the comparison stops.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";

const { values } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string", default: "." },
    pairs: { type: "string", default: "20000" },
    rounds: { type: "string", default: "21" },
  },
});
if (values.before === undefined) throw new Error("--before <path of the other build's checkout> is required");

type Loop = (pairs: readonly [string, string][], scored: boolean) => string;

/** The bench's per-pair work, with the build at `root`'s own modules and fixtures. */
async function loadBuild(root: string): Promise<Loop> {
  const from = (path: string) => import(resolve(root, "src", path));
  const { parseExchangeLine } = await from("contracts/validate-record.ts");
  const { diffPair } = await from("diff/pair-diff.ts");
  const { DiffTally } = await from("diff/tally.ts");
  const { compileRules } = await from("normalize/compile-rules.ts");
  const { pairScores, toolCounts } = await from("normalize/pair-scores.ts");
  const { resolveRules } = await from("normalize/resolve-rules.ts");
  const { ToolSchemaRegistry } = await from("normalize/tool-validity.ts");
  const { normalizeTrace } = await from("normalize/trace.ts");
  const { loadRelease } = await from("release/load.ts");
  const rulesFile = resolve(root, "fixtures/rules.yaml");
  const plain = compileRules(resolveRules(undefined));
  const checked = compileRules(resolveRules(parseYaml(await readFile(rulesFile, "utf8")), rulesFile));
  const registry = new ToolSchemaRegistry();
  for (const name of ["baseline", "candidate-model-upgrade", "candidate-prompt-tweak"])
    registry.register(await loadRelease(resolve(root, `fixtures/releases/${name}.yaml`)));
  const origin = { source: "bench", line: 1 };
  return (pairs, scored) => {
    const rules = scored ? checked : plain;
    const tally = new DiffTally();
    let scoreNames = 0;
    for (const [b, c] of pairs) {
      const x = parseExchangeLine(b, origin);
      const y = parseExchangeLine(c, origin);
      if (!x.ok || !y.ok) throw new Error("fixture record invalid");
      const bt = normalizeTrace(x.record, rules, registry.validatorFor(x.record.release.id));
      const ct = normalizeTrace(y.record, rules, registry.validatorFor(y.record.release.id));
      tally.add(x.record.id, diffPair(bt, ct, rules), bt, ct);
      if (scored)
        scoreNames +=
          pairScores(x.record, y.record, rules.checks).names.length + toolCounts(bt, ct).names.length;
    }
    return `${JSON.stringify(tally.categories)} ${scoreNames}`;
  };
}

const lines = async (file: string) =>
  (await readFile(`fixtures/captures/${file}`, "utf8")).split("\n").filter((line) => line.length > 0);
const baseline = await lines("baseline.jsonl");
const mix: [string, string][] = [];
for (const file of [
  "candidate-model-upgrade.jsonl",
  "candidate-prompt-tweak.jsonl",
  "candidate-reorder.jsonl",
])
  for (const [index, line] of (await lines(file)).entries()) mix.push([baseline[index] as string, line]);
const pairs: [string, string][] = [];
while (pairs.length < Number(values.pairs)) pairs.push(...mix);
pairs.length = Number(values.pairs);

const before = await loadBuild(values.before);
const after = await loadBuild(values.after);
for (const scored of [false, true]) {
  if (before(pairs, scored) !== after(pairs, scored))
    throw new Error(`the builds disagree on the pairs (scored: ${scored}); nothing to compare`);
}
let sink = 0;
const contenders: [string, () => void][] = [
  [
    "bare JSON.parse of both records",
    () => {
      for (const [b, c] of pairs)
        sink += (JSON.parse(b) as { id: string }).id.length + JSON.parse(c).id.length;
    },
  ],
  ["before: shadowdiff", () => before(pairs, false)],
  ["after: shadowdiff", () => after(pairs, false)],
  ["before: with scores, checks, per-tool counts", () => before(pairs, true)],
  ["after: with scores, checks, per-tool counts", () => after(pairs, true)],
];
const samples = new Map(contenders.map(([name]) => [name, [] as number[]]));
for (const [, run] of contenders) run(); // warm-up
for (let round = 0; round < Number(values.rounds); round++) {
  for (let offset = 0; offset < contenders.length; offset++) {
    const [name, run] = contenders[(round + offset) % contenders.length] as [string, () => void];
    const started = process.cpuUsage();
    run();
    const used = process.cpuUsage(started);
    samples.get(name)?.push((used.user + used.system) / pairs.length);
  }
}
const median = (list: readonly number[]) => [...list].sort((a, b) => a - b)[list.length >> 1] as number;
const parse = median(samples.get(contenders[0]?.[0] as string) ?? []);
console.table(
  contenders.map(([name]) => {
    const micros = median(samples.get(name) ?? []);
    return {
      contender: name,
      median_us_per_pair: Number(micros.toFixed(2)),
      ratio_to_parse: Number((parse / micros).toFixed(3)),
    };
  }),
);
if (sink === 0) console.log("(no work was done)");
