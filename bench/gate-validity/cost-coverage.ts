/**
 * bench/gate-validity/cost-coverage: the cost-per-task interval alone, many thousand times a cell.
 * Costs come from the gate simulation's own draw (test/statistical/cost-simulation.ts) and are
 * summed as the store sums them; the bounds are the gate's (`ratioOfMeansBounds`) at the levels
 * the gate uses: the promote side of a `max` limit at 2.5%, its fail side at 2.5% / m (m = 1, and
 * m = 6 for the fixture policy's six checks). Prints P(high < R) and P(low > R) for the true R.
 *
 *   npx tsx bench/gate-validity/cost-coverage.ts [--runs 20000] [--sizes 30,200,1000,4000] [--only NAME]
 *
 * One mulberry32 stream per cell, seeded from the cell, so no two cells (or runs) share draws.
 */
import { parseArgs } from "node:util";
import { ratioOfMeansBounds } from "../../src/analyze/bounds.js";
import { mulberry32 } from "../../src/stats/index.js";
import {
  addCostPair,
  type CostScenario,
  costMoments,
  drawCosts,
  newCostSums,
  normalFrom,
  trueCostRatio,
} from "../../test/statistical/cost-simulation.js";
import { mcError } from "../../test/statistical/simulation.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "20000" },
    sizes: { type: "string", default: "30,200,1000,4000" },
    only: { type: "string" },
  },
});
const runs = Number(values.runs);
const sizes = (values.sizes ?? "").split(",").map(Number);

const SCENARIOS: readonly (CostScenario & { readonly name: string })[] = [
  { name: "a quarter of tasks at 2× (×1.25)", loopShare: 0.25, loopFactor: 2 },
  { name: "5% of tasks at 10× (×1.45)", loopShare: 0.05, loopFactor: 10 },
  { name: "10% of tasks at 2.45× (×1.145)", loopShare: 0.1, loopFactor: 2.45 },
  { name: "every task ×1.25 (no loops)", loopShare: 1, loopFactor: 1.25 },
];
const ALPHA = 0.025;
const FAMILY = 6;

interface Misses {
  high: number;
  low: number;
  lowFamily: number;
}

function cell(scenario: CostScenario, n: number, seed: number): Misses {
  const random = mulberry32(seed);
  const normal = normalFrom(random);
  const ratio = trueCostRatio(scenario);
  const misses = { high: 0, low: 0, lowFamily: 0 };
  for (let run = 0; run < runs; run++) {
    const sums = newCostSums();
    for (let i = 0; i < n; i++) {
      const [baseline, candidate] = drawCosts(scenario, random, normal);
      addCostPair(sums, baseline, candidate);
    }
    const { moments, third } = costMoments(sums);
    const single = ratioOfMeansBounds(
      moments,
      { alphaLow: ALPHA, alphaHigh: ALPHA, sequential: false },
      third,
    );
    const family = ratioOfMeansBounds(
      moments,
      { alphaLow: ALPHA / FAMILY, alphaHigh: ALPHA, sequential: false },
      third,
    );
    if (single === undefined || family === undefined) throw new Error(`no interval at n = ${n}`);
    if (single.high < ratio) misses.high++;
    if (single.low > ratio) misses.low++;
    if (family.low > ratio) misses.lowFamily++;
  }
  return misses;
}

const pct = (count: number) =>
  `${((100 * count) / runs).toFixed(2)}% ±${(100 * mcError(count, runs)).toFixed(2)}`;
console.log(
  `cost interval coverage: ${runs} runs per cell; targets 2.5% / 2.5% / ${((100 * ALPHA) / FAMILY).toFixed(3)}%\n`,
);
console.log(
  `| scenario | n | P(high < R), 2.5% | P(low > R), 2.5% | P(low > R), 2.5%/${FAMILY} |\n| --- | --- | --- | --- | --- |`,
);
for (const [index, scenario] of SCENARIOS.entries()) {
  if (values.only !== undefined && !scenario.name.includes(values.only)) continue;
  for (const n of sizes) {
    const misses = cell(scenario, n, 90_001 + 7 * index + 1_000_003 * n);
    console.log(
      `| ${scenario.name} | ${n} | ${pct(misses.high)} | ${pct(misses.low)} | ${pct(misses.lowFamily)} |`,
    );
  }
}
