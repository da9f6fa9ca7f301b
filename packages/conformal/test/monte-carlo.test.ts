import { createRandom } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  adaptiveConformal,
  clippedSelectionScores,
  conformalPValues,
  conformalSelection,
  selectionMetrics,
  splitConformalClassification,
  splitConformalRegression,
} from '../src/index.js';
import { jin2023Setting1 } from './jin2023-data.js';

/** Mean and its standard error. */
function meanAndSe(values: number[]): { mean: number; se: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, se: Math.sqrt(variance / values.length) };
}

describe('split conformal coverage over 4000 seeds (tolerance: 4 Monte-Carlo standard errors)', () => {
  // i.i.d. N(0,1) labels, predictor 0, score |y|. Theory: coverage = k/(n+1) exactly, inside
  // [1−α, 1−α+1/(n+1)].
  it.each([
    [19, 0.1],
    [10, 0.1],
    [49, 0.2],
  ])('n=%s, α=%s', (n, alpha) => {
    const seeds = 4000;
    const m = 20;
    const perSeed: number[] = [];
    let k = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const random = createRandom(seed, 'mc-split');
      const calY = Array.from({ length: n }, (_, i) => random.normal(i));
      const testY = Array.from({ length: m }, (_, j) => random.normal(n + j));
      const result = splitConformalRegression({
        calY,
        calPredictions: new Float64Array(n),
        testPredictions: new Float64Array(m),
        alpha,
      });
      const iv = result.intervals[0]!;
      k = iv.k;
      let hits = 0;
      for (let j = 0; j < m; j++) if (iv.lower[j]! <= testY[j]! && testY[j]! <= iv.upper[j]!) hits++;
      perSeed.push(hits / m);
    }
    const { mean, se } = meanAndSe(perSeed);
    const exact = k / (n + 1);
    expect(mean).toBeGreaterThanOrEqual(1 - alpha - 4 * se);
    expect(mean).toBeLessThanOrEqual(1 - alpha + 1 / (n + 1) + 4 * se);
    expect(Math.abs(mean - exact)).toBeLessThanOrEqual(4 * se);
  });
});

describe('conformal p-values with ties (20000 draws, tolerance 4 binomial SE)', () => {
  // Scores are integers 0..4 (heavy ties), n = 9. Smoothed p-values are exactly U(0,1);
  // deterministic ones are conservative.
  const draws = 20000;
  const n = 9;
  const random = createRandom(11, 'mc-pvalues');
  const smooth: number[] = [];
  const det: number[] = [];
  for (let d = 0; d < draws; d++) {
    const cal = Array.from({ length: n }, (_, i) => random.integer(d * 20 + i, 5));
    const test = [random.integer(d * 20 + n, 5)];
    smooth.push(conformalPValues(cal, test, { randomized: true, seed: d })[0]!);
    det.push(conformalPValues(cal, test)[0]!);
  }
  it.each([0.05, 0.1, 0.25, 0.5, 0.8])('P(p ≤ %s)', (t) => {
    const se = Math.sqrt((t * (1 - t)) / draws);
    const fracSmooth = smooth.filter((p) => p <= t).length / draws;
    const fracDet = det.filter((p) => p <= t).length / draws;
    expect(Math.abs(fracSmooth - t)).toBeLessThanOrEqual(4 * se);
    expect(fracDet).toBeLessThanOrEqual(t + 4 * se);
  });
});

describe('randomized APS coverage over 2000 seeds (tolerance 4 SE)', () => {
  // K=5 classes, probabilities = softmax of N(0, 2²) logits, labels drawn from those probabilities
  // (a calibrated model). Randomized APS scores are continuous, so coverage is k/(n+1) exactly.
  it('n=49, α=0.1 → coverage k/(n+1) = 45/50, LAC inside [1−α, 1−α+1/(n+1)]', () => {
    const K = 5;
    const n = 49;
    const m = 10;
    const alpha = 0.1;
    const aps: number[] = [];
    const lac: number[] = [];
    const sample = (random: ReturnType<typeof createRandom>, offset: number) => {
      const logits = Array.from({ length: K }, (_, c) => 2 * random.normal(offset + c));
      const mx = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - mx));
      const s = e.reduce((a, b) => a + b, 0);
      const probs = e.map((v) => v / s);
      const u = random.uniform(offset + K);
      let acc = 0;
      let label = K - 1;
      for (let c = 0; c < K; c++) {
        acc += probs[c]!;
        if (u < acc) {
          label = c;
          break;
        }
      }
      return { probs, label };
    };
    for (let seed = 0; seed < 2000; seed++) {
      const random = createRandom(seed, 'mc-aps');
      const cal = Array.from({ length: n }, (_, i) => sample(random, i * 10));
      const test = Array.from({ length: m }, (_, j) => sample(random, (n + j) * 10));
      const common = {
        calProbabilities: cal.map((r) => r.probs),
        calLabels: cal.map((r) => r.label),
        testProbabilities: test.map((r) => r.probs),
        alpha,
      };
      const a = splitConformalClassification({ ...common, score: 'aps', randomized: true, seed });
      const l = splitConformalClassification({ ...common, score: 'lac' });
      aps.push(a.sets.filter((set, j) => set.includes(test[j]!.label)).length / m);
      lac.push(l.sets.filter((set, j) => set.includes(test[j]!.label)).length / m);
    }
    const a = meanAndSe(aps);
    expect(Math.abs(a.mean - 45 / 50)).toBeLessThanOrEqual(4 * a.se);
    const l = meanAndSe(lac);
    expect(l.mean).toBeGreaterThanOrEqual(1 - alpha - 4 * l.se);
    expect(l.mean).toBeLessThanOrEqual(1 - alpha + 1 / (n + 1) + 4 * l.se);
  });
});

describe('cfBH FDR on the Jin & Candès (2023) setting 1 (500 repetitions, tolerance 3 SE)', () => {
  // Data from the reference simulations (see jin2023-data.ts); predictor μ̂ = x₃ + 0.75 misses the
  // interaction term; select Y > 0 with the clipped score. Theory: FDR ≤ q.
  it.each([
    [0.1, false],
    [0.2, false],
    [0.2, true],
  ])('q=%s randomized=%s', (q, randomized) => {
    const fdps: number[] = [];
    let powerSum = 0;
    for (let rep = 0; rep < 500; rep++) {
      const random = createRandom(rep, 'mc-cfbh');
      const draw = (i: number) => {
        const d = jin2023Setting1(random, i);
        return { y: d.y, pred: d.x[3]! + 0.75 };
      };
      const cal = Array.from({ length: 200 }, (_, i) => draw(i));
      const test = Array.from({ length: 100 }, (_, j) => draw(200 + j));
      const scores = clippedSelectionScores({
        calY: cal.map((d) => d.y),
        calPredictions: cal.map((d) => d.pred),
        testPredictions: test.map((d) => d.pred),
        calThreshold: 0,
        testThreshold: 0,
      });
      const { selected } = conformalSelection({
        calScores: scores.calScores,
        testScores: scores.testScores,
        fdr: q,
        randomized,
        seed: rep,
      });
      const { fdp, power } = selectionMetrics(
        selected,
        test.map((d) => d.y > 0),
      );
      fdps.push(fdp);
      powerSum += power;
    }
    const { mean, se } = meanAndSe(fdps);
    expect(mean).toBeLessThanOrEqual(q + 3 * se);
    expect(powerSum / 500).toBeGreaterThan(0.05); // it does select something
  });
});

describe('ACI long-run error bound (deterministic, any sequence)', () => {
  it('|mean err − α| ≤ (max(α₁, 1−α₁) + γ)/(γT) on a sequence with a variance shift', () => {
    const T = 3000;
    const random = createRandom(5, 'mc-aci');
    const scores = Array.from({ length: T + 50 }, (_, t) => Math.abs(random.normal(t)) * (t > 1500 ? 4 : 1));
    for (const gamma of [0.005, 0.05]) {
      const run = adaptiveConformal({ scores, alpha: 0.1, gamma, window: 200, warmup: 50 });
      const bound = (Math.max(0.1, 0.9) + gamma) / (gamma * run.errors.length);
      expect(Math.abs(run.errorRate - 0.1)).toBeLessThanOrEqual(bound);
    }
  });
});
