// Metric fixtures: spec §1.10 (mlxtend scoring/lift_score tests). Proportion intervals: scipy 1.17.1
// binomtest(k, n).proportion_ci(method='exact'|'wilson'), computed while writing the tests.
import { describe, expect, it } from 'vitest';
import {
  averagePerClassAccuracy,
  balancedAccuracy,
  binaryMetrics,
  confusionMatrix,
  liftScore,
} from '../src/metrics/classification-metrics.js';
import { featureImportancePermutation } from '../src/metrics/feature-importance.js';
import { proportionInterval } from '../src/metrics/proportion-interval.js';
import { expectClose } from './helpers.js';

describe('classification metrics (mlxtend scoring)', () => {
  it('binary: precision .75, recall .6, FPR .333, specificity .667, F1 .667, MCC .258', () => {
    const m = binaryMetrics([1, 1, 1, 0, 0, 1, 0, 1], [1, 0, 1, 0, 0, 0, 1, 1]);
    expectClose(m.precision, 0.75, 1e-15);
    expectClose(m.recall, 0.6, 1e-15);
    expectClose(m.fpr, 0.333, 5e-4);
    expectClose(m.specificity, 0.667, 5e-4);
    expectClose(m.f1, 0.667, 5e-4);
    expectClose(m.mcc, 0.258, 5e-4);
    expectClose(m.mcc, 4 / Math.sqrt(240), 1e-15);
  });
  it('multiclass: balanced accuracy 0.578, average per-class accuracy 0.667', () => {
    const y = [0, 0, 0, 1, 1, 1, 1, 1, 2, 2];
    const p = [0, 1, 1, 0, 1, 1, 2, 2, 2, 2];
    expectClose(balancedAccuracy(y, p), 0.578, 5e-4);
    expectClose(averagePerClassAccuracy(y, p), 0.667, 5e-4);
    expect(confusionMatrix(y, p).matrix).toEqual([
      [1, 2, 0],
      [1, 2, 2],
      [0, 0, 2],
    ]);
  });
  it('lift score 1.25', () => {
    expectClose(
      liftScore([1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0], [1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0]),
      1.25,
      1e-15,
    );
  });
});

describe('proportionInterval', () => {
  const cases: [number, number, number, number, number, number][] = [
    [7, 20, 0.1539092047845412, 0.5921885345328283, 0.1811918241010821, 0.5671457233147637],
    [0, 15, 0, 0.2180193609108388, 0, 0.20388330103584862],
    [95, 100, 0.887165088894537, 0.9835681208182717, 0.8882495307680809, 0.978456320845632],
    [50, 50, 0.9288782635357954, 1, 0.9286524008666412, 1],
  ];
  it.each(cases)('k=%i n=%i', (k, n, eLo, eHi, wLo, wHi) => {
    const e = proportionInterval(k, n, { method: 'clopper-pearson' });
    expectClose(e.low, eLo, 1e-12);
    expectClose(e.high, eHi, 1e-12);
    const w = proportionInterval(k, n);
    expectClose(w.low, wLo, 1e-12);
    expectClose(w.high, wHi, 1e-12);
  });
  it('normal approximation and errors', () => {
    const r = proportionInterval(50, 100, { method: 'normal' });
    expectClose(r.low, 0.5 - 1.959963984540054 * 0.05, 1e-12);
    expect(() => proportionInterval(11, 10)).toThrow(/successes/);
  });
});

describe('featureImportancePermutation', () => {
  it('a feature the model ignores has importance exactly 0; the used one loses accuracy', () => {
    const X = Array.from({ length: 40 }, (_, i) => [i % 2, (i * 7) % 5]);
    const y = X.map((r) => r[0]!);
    const predict = (rows: readonly (readonly number[])[]) => rows.map((r) => r[0]!);
    const accuracy = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Array.from(a).filter((v, i) => v === b[i]).length / a.length;
    const r = featureImportancePermutation(X, y, predict, accuracy, { rounds: 5, seed: 3 });
    expect(r.mean[1]).toBe(0);
    expect(r.mean[0]!).toBeGreaterThan(0.2);
    expect(r.perRound[0]!.length).toBe(5);
    const grouped = featureImportancePermutation(X, y, predict, accuracy, {
      featureGroups: [[0, 1]],
      seed: 3,
    });
    expect(grouped.mean.length).toBe(1);
  });
});
