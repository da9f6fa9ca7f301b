import { createRandom } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateQuantiles,
  calibratePredictiveSystem,
  conformalizeQuantiles,
  fitQuantileAggregation,
  isotonicFit,
  isotonicQuantiles,
  pinballLoss,
  predictiveCdf,
  predictiveInterval,
  quantileCalibration,
  sortQuantiles,
  tuneRaps,
} from '../src/index.js';

// Spec §8 F data: signed residuals y − ŷ sorted = [−1.3, −0.95, −0.7, −0.4, −0.3, −0.2, 0.5, 0.6, 0.9].
const y = [3, 5.5, 2, 7, 4, 6.5, 1, 8, 5];
const yhat = [3.4, 5, 2.7, 6.1, 4.2, 6.8, 2.3, 7.4, 5.95];

describe('conformal predictive system', () => {
  const cps = calibratePredictiveSystem({ calY: y, calPredictions: yhat });
  it('interval: α=0.2 → ranks 1 and 9 → [ŷ−1.3, ŷ+0.9]; α=0.5 → ranks 2 and 8 → [ŷ−0.95, ŷ+0.6]', () => {
    const a = predictiveInterval(cps, [10], 0.2);
    expect(a.lower[0]).toBeCloseTo(8.7, 12);
    expect(a.upper[0]).toBeCloseTo(10.9, 12);
    const b = predictiveInterval(cps, [10], 0.5);
    expect(b.lower[0]).toBeCloseTo(9.05, 12);
    expect(b.upper[0]).toBeCloseTo(10.6, 12);
  });
  it('CDF with a tie at r=0.5 and τ=0.5: (6 + 0.5·2)/10 = 0.7', () => {
    expect(predictiveCdf(cps, [10], [10.5], { tau: 0.5 })[0]).toBeCloseTo(0.7, 12);
    expect(predictiveCdf(cps, [0], [-5], { tau: 1 })[0]).toBeCloseTo(0.1, 12);
  });
  it('with random τ, Q(Y) is uniform (5000 draws, tolerance 4 SE)', () => {
    let below = 0;
    const draws = 5000;
    for (let d = 0; d < draws; d++) {
      const random = createRandom(d, 'mc-cps');
      const calY = Array.from({ length: 9 }, (_, i) => Math.round(2 * random.normal(i)));
      const system = calibratePredictiveSystem({ calY, calPredictions: new Array(9).fill(0) });
      const q = predictiveCdf(system, [0], [Math.round(2 * random.normal(9))], { seed: d })[0]!;
      if (q <= 0.3) below++;
    }
    expect(Math.abs(below / draws - 0.3)).toBeLessThanOrEqual(4 * Math.sqrt((0.3 * 0.7) / draws));
  });
});

describe('non-crossing fixes', () => {
  it('PAVA by hand', () => {
    expect(Array.from(isotonicFit([1, 3, 2, 4]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(isotonicFit([3, 2, 1]))).toEqual([2, 2, 2]);
    expect(Array.from(sortQuantiles([[3, 1, 2]])[0]!)).toEqual([1, 2, 3]);
  });
  it('sorting and isotonic regression never increase the summed pinball loss (Fakoor et al.), for every y', () => {
    const levels = [0.1, 0.25, 0.5, 0.75, 0.9];
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.double({ min: -15, max: 15, noNaN: true }),
        (q, target) => {
          const loss = (row: ArrayLike<number>) =>
            levels.reduce((s, t, l) => s + pinballLoss(target, row[l]!, t), 0);
          const before = loss(q);
          expect(loss(sortQuantiles([q])[0]!)).toBeLessThanOrEqual(before + 1e-9);
          const iso = isotonicQuantiles([q])[0]!;
          expect(loss(iso)).toBeLessThanOrEqual(before + 1e-9);
          for (let l = 1; l < 5; l++) expect(iso[l]!).toBeGreaterThanOrEqual(iso[l - 1]! - 1e-12);
        },
      ),
    );
  });
});

describe('quantile aggregation', () => {
  it('coarse and medium weighted combination by hand', () => {
    const preds = [[[1, 2]], [[3, 6]]];
    expect(
      Array.from(
        aggregateQuantiles(preds, { granularity: 'coarse', weights: Float64Array.from([0.25, 0.75]) }, 2)[0]!,
      ),
    ).toEqual([2.5, 5]);
    const medium = aggregateQuantiles(
      preds,
      { granularity: 'medium', weights: [Float64Array.from([1, 0.5]), Float64Array.from([0, 0.5])] },
      2,
    );
    expect(Array.from(medium[0]!)).toEqual([1, 4]);
  });
  it('fitted weights favour the correct model and beat every single model', () => {
    // Y ~ N(μ_i, 1); model 0 predicts the true quantiles, model 1 is shifted by +2.
    const levels = [0.1, 0.5, 0.9];
    const z = [-1.2815515655446004, 0, 1.2815515655446004];
    const random = createRandom(3, 'agg');
    const n = 400;
    const mu = Array.from({ length: n }, (_, i) => 3 * random.uniform(i));
    const yy = mu.map((m, i) => m + random.normal(n + i));
    const good = mu.map((m) => z.map((q) => m + q));
    const bad = mu.map((m) => z.map((q) => m + q + 2));
    for (const granularity of ['coarse', 'medium'] as const) {
      const fit = fitQuantileAggregation({
        predictions: [good, bad],
        y: yy,
        levels,
        granularity,
        iterations: 300,
      });
      const lossOf = (rows: number[][]) =>
        rows.reduce(
          (s, row, i) => s + levels.reduce((t, tau, l) => t + pinballLoss(yy[i]!, row[l]!, tau), 0),
          0,
        ) /
        (n * 3);
      expect(fit.loss).toBeLessThanOrEqual(Math.min(lossOf(good), lossOf(bad)) + 1e-9);
      const w0 = fit.weights.granularity === 'coarse' ? fit.weights.weights[0]! : fit.weights.weights[0]![1]!;
      expect(w0).toBeGreaterThan(0.8);
    }
  });
  it('pairwise CQR of (0.25, 0.75) reproduces spec §8 G: α=0.5 → Q=−0.3, [3,5] → [3.3,4.7]', () => {
    const lo = [2.8, 4.8, 1.2, 6.6, 3.5, 5.9, 1.5, 6.6, 4.7];
    const hi = [4, 6, 3, 8, 5.5, 6, 3, 7.5, 6];
    const r = conformalizeQuantiles({
      calY: y,
      calQuantiles: lo.map((l, i) => [l, (l + hi[i]!) / 2, hi[i]!]),
      testQuantiles: [[3, 4, 5]],
      levels: [0.25, 0.5, 0.75],
    });
    expect(r.shifts).toHaveLength(1);
    expect(r.shifts[0]!.q).toBeCloseTo(-0.3, 12);
    expect(r.test[0]![0]).toBeCloseTo(3.3, 12);
    expect(r.test[0]![1]).toBe(4);
    expect(r.test[0]![2]).toBeCloseTo(4.7, 12);
  });
  it('per-level calibration by hand', () => {
    const c = quantileCalibration(
      [1, 2, 3, 4],
      [
        [0, 2],
        [3, 3],
        [2, 4],
        [5, 6],
      ],
      [0.25, 0.75],
    );
    expect(Array.from(c.coverage)).toEqual([0.5, 1]);
    expect(c.meanAbsoluteError).toBeCloseTo(0.25, 12);
  });
});

describe('RAPS tuning', () => {
  it('k_reg from the conformal quantile of true-label ranks; λ is the grid argmin of mean set size', () => {
    // 9 rows with the true label ranked first, one ranked third: n=10, α=0.2 → k=⌈11·0.8⌉=9 → k_reg = 1
    const probabilities = Array.from({ length: 10 }, () => [0.6, 0.3, 0.1]);
    const labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    const r = tuneRaps({ probabilities, labels, alpha: 0.2 });
    expect(r.kReg).toBe(1);
    expect(r.meanSetSizes).toHaveLength(5);
    expect(r.meanSetSizes[[0.001, 0.01, 0.1, 0.2, 0.5].indexOf(r.lambda)]).toBe(Math.min(...r.meanSetSizes));
  });
});
