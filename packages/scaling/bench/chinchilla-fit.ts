// Benchmark: the 4,500-start Chinchilla Approach-3 fit on the shipped Epoch/Hoffmann data.
// Baseline (same run): the same number of objective+gradient evaluations at a fixed point, i.e. the cost of
// the arithmetic alone; the ratio shows the optimizer's overhead. Run: pnpm --filter @modelsmith/scaling bench
import { cpus } from 'node:os';
import { minimizeLbfgs } from '@modelsmith/core-tensor';
import { loadChinchillaFixture } from '../src/__fixtures__/load-chinchilla.js';
import { prepareChinchillaData } from '../src/chinchilla/chinchilla-data.js';
import { hoffmannGrid } from '../src/chinchilla/chinchilla-grid.js';
import { chinchillaObjective } from '../src/chinchilla/chinchilla-objective.js';
import { fitChinchilla } from '../src/chinchilla/fit-chinchilla.js';

const data = loadChinchillaFixture();
const points = { params: data.params, tokens: data.tokens, loss: data.loss };
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

// Count evaluations once so the baseline does the same arithmetic.
const prepared = prepareChinchillaData(data.params, data.tokens, data.loss, 5, 5);
const objective = chinchillaObjective(prepared, 1e-3, 1);
let evaluations = 0;
for (const start of hoffmannGrid()) evaluations += minimizeLbfgs(objective, start).evaluations;

const fitTimes: number[] = [];
const baseTimes: number[] = [];
let fit = fitChinchilla(points, { dropHighestLoss: 5 });
for (let r = 0; r < repeats; r++) {
  let t = performance.now();
  fit = fitChinchilla(points, { dropHighestLoss: 5 });
  fitTimes.push(performance.now() - t);
  const x = Float64Array.from(fit.logParams);
  const g = new Float64Array(5);
  let sink = 0;
  t = performance.now();
  for (let i = 0; i < evaluations; i++) {
    x[2] = fit.logParams[2]! + (i & 1) * 1e-12;
    sink += objective(x, g);
  }
  baseTimes.push(performance.now() - t);
  if (sink === 42) console.log('');
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const fitMs = median(fitTimes);
const baseMs = median(baseTimes);
console.log(
  JSON.stringify(
    {
      benchmark: 'chinchilla 4,500-start fit (240 runs)',
      node: process.version,
      cpu: cpus()[0]?.model,
      repeats,
      wallSeconds: fitMs / 1000,
      startsPerSecond: 4500 / (fitMs / 1000),
      evaluations,
      baselineSeconds: baseMs / 1000,
      ratioToBaseline: fitMs / baseMs,
      objective: fit.objective,
      startsAtBest: fit.startsAtBest,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    },
    null,
    2,
  ),
);
