/**
 * The cost half of the gate-validity simulation: how a scenario draws a task's two costs, and how
 * the store sums them. simulation.ts builds whole pairs from it; bench/gate-validity/cost-coverage.ts
 * draws costs alone, many thousand times faster, to measure the cost interval's coverage.
 */

/** A candidate whose cost per task is the baseline's, except a share of tasks costs a factor more. */
export interface CostScenario {
  readonly loopShare: number;
  readonly loopFactor: number;
}

/** A standard normal draw from `random` (Box–Muller, one of the pair). */
export function normalFrom(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/**
 * One task's [baseline, candidate] cost in dollars: lognormal baseline (median $0.004), the
 * candidate the baseline times a lognormal noise of mean exactly 1 (e^(σZ − σ²/2)), times
 * `loopFactor` on a `loopShare` of tasks. Draws three numbers from `random` (normal, Bernoulli,
 * normal): generatePairs's stream depends on that order.
 */
export function drawCosts(
  scenario: CostScenario,
  random: () => number,
  normal: () => number,
): [number, number] {
  const baselineCost = 0.004 * Math.exp(0.4 * normal());
  const loops = random() < scenario.loopShare;
  const candidateCost =
    baselineCost * Math.exp(0.15 * normal() - 0.15 ** 2 / 2) * (loops ? scenario.loopFactor : 1);
  return [baselineCost, candidateCost];
}

/**
 * The cost ratio E[cost_C] / E[cost_B] a scenario draws: the noise has mean 1 and is independent of
 * the baseline and of looping, and pairs left out for an error are left out independently of cost.
 */
export function trueCostRatio(scenario: CostScenario): number {
  return 1 + scenario.loopShare * (scenario.loopFactor - 1);
}

const MICRO = 1e6;
/** The store sums cubes in 10-µ$ units (exactCubeSums in aggregate-queries.ts). */
const CUBE_UNIT = 1e5;

/** Exact integer cost sums as the store keeps them: micro-dollars, cubes in 10-µ$ units. */
export interface CostSums {
  n: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
  sumXXX: number;
  sumXXY: number;
  sumXYY: number;
  sumYYY: number;
}

export function newCostSums(): CostSums {
  return { n: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0, sumXXX: 0, sumXXY: 0, sumXYY: 0, sumYYY: 0 };
}

export function addCostPair(sums: CostSums, baselineCost: number, candidateCost: number): void {
  const x = Math.round(baselineCost * MICRO);
  const y = Math.round(candidateCost * MICRO);
  sums.n++;
  sums.sumX += x;
  sums.sumY += y;
  sums.sumXX += x * x;
  sums.sumYY += y * y;
  sums.sumXY += x * y;
  const [u, v] = [Math.round(baselineCost * CUBE_UNIT), Math.round(candidateCost * CUBE_UNIT)];
  sums.sumXXX += u * u * u;
  sums.sumXXY += u * u * v;
  sums.sumXYY += u * v * v;
  sums.sumYYY += v * v * v;
}

/** The sums in dollars, as the reader decodes them: the moments and third power sums. */
export function costMoments(sums: CostSums) {
  const micro2 = MICRO * MICRO;
  const cube = CUBE_UNIT ** 3;
  return {
    moments: {
      n: sums.n,
      sumX: sums.sumX / MICRO,
      sumY: sums.sumY / MICRO,
      sumXX: sums.sumXX / micro2,
      sumYY: sums.sumYY / micro2,
      sumXY: sums.sumXY / micro2,
    },
    third: {
      sumXXX: sums.sumXXX / cube,
      sumXXY: sums.sumXXY / cube,
      sumXYY: sums.sumXYY / cube,
      sumYYY: sums.sumYYY / cube,
    },
  };
}
