import { setMetrics, splitConformalClassification } from '@modelsmith/conformal';
import type { DemoConformal } from './demo-results.js';
import type { Predictions } from './mlp.js';

function rows(predictions: Predictions, classes: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < predictions.correct.length; i++) {
    out.push(predictions.probabilities.subarray(i * classes, (i + 1) * classes));
  }
  return out;
}

/**
 * Randomized APS sets (exact finite-sample coverage) for one model, calibrated on held-out
 * digits of every task and measured on the test digits of every task.
 */
export function conformalSets(
  model: string,
  calibration: { predictions: Predictions; labels: Int32Array },
  test: { predictions: Predictions; labels: Int32Array },
  options: { alpha: number; seed: number; classes: number },
): DemoConformal {
  const result = splitConformalClassification({
    calProbabilities: rows(calibration.predictions, options.classes),
    calLabels: calibration.labels,
    testProbabilities: rows(test.predictions, options.classes),
    alpha: options.alpha,
    score: 'aps',
    randomized: true,
    seed: options.seed,
  });
  const metrics = setMetrics(result.sets, test.labels);
  const histogram = new Array<number>(options.classes + 1).fill(0);
  for (const { size, count } of metrics.sizeStratified) histogram[size] = count;
  const n = calibration.labels.length;
  return {
    model,
    method: 'aps',
    alpha: options.alpha,
    calibrationSize: n,
    testSize: result.sets.length,
    threshold: result.threshold as number,
    coverage: metrics.coverage,
    meanSetSize: metrics.meanSetSize,
    coverageBand: [1 - options.alpha, 1 - options.alpha + 1 / (n + 1)],
    setSizeHistogram: histogram,
  };
}
