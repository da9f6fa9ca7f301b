/**
 * Calibration + prediction for 10^6 calibration and 10^6 test points, reported as a ratio to sorting
 * 10^6 float64 values (Float64Array#sort) measured in the same run, plus peak RSS.
 * Run: pnpm bench   (tsx --conditions=@modelsmith/source bench/calibrate-predict.ts)
 */
import { createRandom } from '@modelsmith/core-tensor';
import {
  calibratePredictiveSystem,
  conformalPValues,
  conformalSelection,
  cqr,
  meanPredictiveCrps,
  splitConformalClassification,
  splitConformalRegression,
} from '../src/index.js';

const N = 1_000_000;
const REPEATS = 5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const random = createRandom(1, 'bench');
const calY = new Float64Array(N);
const calPred = new Float64Array(N);
const testPred = new Float64Array(N);
const lo = new Float64Array(N);
const hi = new Float64Array(N);
for (let i = 0; i < N; i++) {
  calPred[i] = random.normal(3 * i);
  calY[i] = calPred[i]! + random.normal(3 * i + 1);
  testPred[i] = random.normal(3 * i + 2);
  lo[i] = calPred[i]! - 1.6;
  hi[i] = calPred[i]! + 1.6;
}
const values = Float64Array.from(calY);

const rows: { name: string; ms: number }[] = [];
const sortMs = median(Array.from({ length: REPEATS }, () => time(() => Float64Array.from(values).sort())));
rows.push({ name: 'baseline: sort 10^6 float64 (Float64Array#sort)', ms: sortMs });

rows.push({
  name: 'split conformal regression (absolute), 10^6 cal + 10^6 test',
  ms: median(
    Array.from({ length: REPEATS }, () =>
      time(() =>
        splitConformalRegression({ calY, calPredictions: calPred, testPredictions: testPred, alpha: 0.1 }),
      ),
    ),
  ),
});
rows.push({
  name: 'CQR (symmetric), 10^6 cal + 10^6 test',
  ms: median(
    Array.from({ length: REPEATS }, () =>
      time(() => cqr({ calY, calLower: lo, calUpper: hi, testLower: lo, testUpper: hi, alpha: 0.1 })),
    ),
  ),
});
rows.push({
  name: 'conformal p-values (deterministic), 10^6 cal + 10^6 test',
  ms: median(Array.from({ length: REPEATS }, () => time(() => conformalPValues(calY, testPred)))),
});
rows.push({
  name: 'cfBH selection, 10^6 cal + 10^6 test',
  ms: median(
    Array.from({ length: 3 }, () =>
      time(() => conformalSelection({ calScores: calY, testScores: testPred, fdr: 0.1 })),
    ),
  ),
});

const testY = Float64Array.from(testPred, (v, i) => v + random.normal(40 * N + i));
rows.push({
  name: 'CPS calibration + mean CRPS (exact), 10^6 cal + 10^6 test',
  ms: median(
    Array.from({ length: REPEATS }, () =>
      time(() =>
        meanPredictiveCrps(calibratePredictiveSystem({ calY, calPredictions: calPred }), testPred, testY),
      ),
    ),
  ),
});

// Classification: 10^5 cal + 10^5 test rows of 10 classes (10^6 probabilities each side).
const K = 10;
const M = 100_000;
const makeRows = (offset: number) =>
  Array.from({ length: M }, (_, i) => {
    const e = Array.from({ length: K }, (_, c) => Math.exp(2 * random.normal(offset + i * K + c)));
    const s = e.reduce((a, b) => a + b, 0);
    return Float64Array.from(e, (v) => v / s);
  });
const calRows = makeRows(10 * N);
const testRows = makeRows(20 * N);
const calLabels = Array.from({ length: M }, (_, i) => random.integer(30 * N + i, K));
for (const score of ['lac', 'aps'] as const) {
  rows.push({
    name: `classification ${score}, 10^5 cal + 10^5 test rows × 10 classes`,
    ms: median(
      Array.from({ length: 3 }, () =>
        time(() =>
          splitConformalClassification({
            calProbabilities: calRows,
            calLabels,
            testProbabilities: testRows,
            alpha: 0.1,
            score,
          }),
        ),
      ),
    ),
  });
}

const rssMb = process.resourceUsage().maxRSS / 1024;
const lines = [
  `node ${process.version}, ${REPEATS} repeats (median)`,
  '| task | time (ms) | ratio to sort |',
  '|---|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(1)} | ${(r.ms / sortMs).toFixed(2)} |`),
  `peak RSS: ${rssMb.toFixed(0)} MB`,
];
process.stdout.write(`${lines.join('\n')}\n`);
