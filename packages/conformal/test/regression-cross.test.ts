import { describe, expect, it } from 'vitest';
import { crossConformalIntervals, crossConformalRegression, jackknifeAfterBootstrap } from '../src/index.js';

// Reference numbers: spec `conformal.md` §8 H.
const mu = [4.1, 3.9, 4.0, 4.3, 3.8, 4.2, 4.0, 3.7, 4.4];
const R = [0.5, 0.4, 0.6, 1.1, 0.3, 0.7, 1.2, 0.2, 0.9];
const heldOutPredictions = mu.map((v) => [v]);

describe('jackknife+: spec §8 H', () => {
  it('α=0.2 (k_lo=2, k_hi=8) → [3.2, 5.3]; α=0.1 → [2.8, 5.4]', () => {
    const [a, b] = crossConformalIntervals({ residuals: R, heldOutPredictions, alpha: [0.2, 0.1] });
    expect(a!.lower[0]).toBeCloseTo(3.2, 12);
    expect(a!.upper[0]).toBeCloseTo(5.3, 12);
    expect(b!.lower[0]).toBeCloseTo(2.8, 12);
    expect(b!.upper[0]).toBeCloseTo(5.4, 12);
  });
  it('jackknife-minmax α=0.2 → [2.6, 5.5]', () => {
    const [a] = crossConformalIntervals({
      residuals: R,
      heldOutPredictions,
      alpha: 0.2,
      method: 'jackknife-minmax',
    });
    expect(a!.lower[0]).toBeCloseTo(2.6, 12);
    expect(a!.upper[0]).toBeCloseTo(5.5, 12);
  });
  it('plain jackknife: μ̂(x) ± 8th smallest R = ±1.1', () => {
    const [a] = crossConformalIntervals({
      residuals: R,
      fullPredictions: [4],
      alpha: 0.2,
      method: 'jackknife',
    });
    expect(a!.lower[0]).toBeCloseTo(2.9, 12);
    expect(a!.upper[0]).toBeCloseTo(5.1, 12);
  });
  it('α < 1/(n+1) gives the whole line', () => {
    const [a] = crossConformalIntervals({ residuals: R, heldOutPredictions, alpha: 0.05 });
    expect(a!.lower[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(a!.upper[0]).toBe(Number.POSITIVE_INFINITY);
  });
  it('CV+ with fold predictions equals jackknife+ on the expanded rows', () => {
    const folds = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    const foldPredictions = [[4.0], [3.5], [4.5]];
    const [cv] = crossConformalIntervals({ residuals: R, foldPredictions, folds, alpha: 0.2, method: 'cv+' });
    const [jk] = crossConformalIntervals({
      residuals: R,
      heldOutPredictions: folds.map((k) => foldPredictions[k]!),
      alpha: 0.2,
    });
    expect(cv!.lower[0]).toBe(jk!.lower[0]);
    expect(cv!.upper[0]).toBe(jk!.upper[0]);
  });
});

describe('callback drivers', () => {
  // Model: the mean of the training labels. LOO by hand: μ̂_{−i} = (S − y_i)/(n−1).
  const y = [1, 2, 4, 7, 11, 3, 5, 8, 6];
  const meanModel = (train: Int32Array, heldOut: Int32Array) => {
    const m = train.reduce((s, i) => s + y[i]!, 0) / train.length;
    return { heldOut: Array.from(heldOut, () => m), test: [m, m] };
  };
  it('LOO driver reproduces the hand LOO residuals and intervals', () => {
    const S = y.reduce((a, b) => a + b, 0);
    const loo = y.map((v) => (S - v) / (y.length - 1));
    const result = crossConformalRegression({ y, numTest: 2, alpha: 0.2, fit: meanModel });
    result.residuals.forEach((r, i) => {
      expect(r).toBeCloseTo(Math.abs(y[i]! - loo[i]!), 12);
    });
    const [direct] = crossConformalIntervals({
      residuals: y.map((v, i) => Math.abs(v - loo[i]!)),
      heldOutPredictions: loo.map((v) => [v, v]),
      alpha: 0.2,
    });
    expect(result.intervals[0]!.lower[0]).toBeCloseTo(direct!.lower[0]!, 12);
    expect(result.intervals[0]!.upper[1]).toBeCloseTo(direct!.upper[1]!, 12);
  });
  it('K-fold driver: every point held out exactly once, fold sizes differ by ≤ 1, seeded', () => {
    const calls: number[][] = [];
    const fit = (train: Int32Array, heldOut: Int32Array) => {
      calls.push(Array.from(heldOut));
      return meanModel(train, heldOut);
    };
    const a = crossConformalRegression({ y, numTest: 2, alpha: 0.2, folds: 4, seed: 5, fit });
    const all = calls.flat().sort((p, q) => p - q);
    expect(all).toEqual(y.map((_, i) => i));
    const sizes = calls.map((c) => c.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const b = crossConformalRegression({ y, numTest: 2, alpha: 0.2, folds: 4, seed: 5, fit: meanModel });
    expect(Array.from(a.folds)).toEqual(Array.from(b.folds));
  });
  it('J+aB with a constant model gives the jackknife+ interval of constant predictions', () => {
    // model predicts 5 everywhere → R_i = |y_i − 5|, μ̂_{−i}(x) = 5 → [5 − q⁺... ] = jackknife+ with μ = 5
    const fit = () => ({ train: new Array(y.length).fill(5), test: [5] });
    const r = jackknifeAfterBootstrap({ y, numTest: 1, numBootstraps: 20, alpha: 0.2, seed: 1, fit });
    const [direct] = crossConformalIntervals({
      residuals: y.map((v) => Math.abs(v - 5)),
      heldOutPredictions: y.map(() => [5]),
      alpha: 0.2,
    });
    expect(r.intervals[0]!.lower[0]).toBe(direct!.lower[0]);
    expect(r.intervals[0]!.upper[0]).toBe(direct!.upper[0]);
  });
});
