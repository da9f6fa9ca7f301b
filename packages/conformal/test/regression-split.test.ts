import { describe, expect, it } from 'vitest';
import { cqr, intervalMetrics, splitConformalRegression } from '../src/index.js';

// Reference numbers: spec `conformal.md` §8 F, G.
const y = [3, 5.5, 2, 7, 4, 6.5, 1, 8, 5];
const yhat = [3.4, 5, 2.7, 6.1, 4.2, 6.8, 2.3, 7.4, 5.95];

describe('split conformal regression: spec §8 F', () => {
  it('absolute residual scores', () => {
    const { scores } = splitConformalRegression({
      calY: y,
      calPredictions: yhat,
      testPredictions: [0],
      alpha: 0.1,
    });
    const sorted = Array.from(scores).sort((a, b) => a - b);
    [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 0.95, 1.3].forEach((v, i) => {
      expect(sorted[i]).toBeCloseTo(v, 12);
    });
  });
  it.each([
    [0.5, 0.6],
    [0.2, 0.95],
    [0.1, 1.3],
    [0.05, Number.POSITIVE_INFINITY],
  ])('alpha=%s → q=%s, interval ŷ ± q', (alpha, q) => {
    const { intervals } = splitConformalRegression({
      calY: y,
      calPredictions: yhat,
      testPredictions: [10],
      alpha,
    });
    const iv = intervals[0]!;
    if (Number.isFinite(q)) {
      expect(iv.threshold).toBeCloseTo(q, 12);
      expect(iv.lower[0]).toBeCloseTo(10 - q, 12);
      expect(iv.upper[0]).toBeCloseTo(10 + q, 12);
    } else {
      expect(iv.threshold).toBe(q);
      expect(iv.lower[0]).toBe(Number.NEGATIVE_INFINITY);
      expect(iv.upper[0]).toBe(Number.POSITIVE_INFINITY);
    }
  });
  it('normalized score: (|y−ŷ|/σ) quantile times test σ', () => {
    // σ = 2 everywhere: scores halve, half-width = 2 · (1.3/2) at α = 0.1
    const { intervals } = splitConformalRegression({
      calY: y,
      calPredictions: yhat,
      testPredictions: [0],
      alpha: 0.1,
      score: 'normalized',
      calSigma: new Array(9).fill(2),
      testSigma: [3],
    });
    expect(intervals[0]!.threshold).toBeCloseTo(0.65, 12);
    expect(intervals[0]!.upper[0]).toBeCloseTo(1.95, 12);
  });
  it('gamma score: asymmetric relative quantiles at α/2 each', () => {
    // scores (y−ŷ)/ŷ = (y/ŷ − 1); n=9, α=0.2 → upper rank ⌈10·0.9⌉ = 9 (max), lower rank ⌊10·0.1⌋ = 1 (min)
    const r = y.map((v, i) => (v - yhat[i]!) / yhat[i]!);
    const { intervals } = splitConformalRegression({
      calY: y,
      calPredictions: yhat,
      testPredictions: [2],
      alpha: 0.2,
      score: 'gamma',
    });
    expect(intervals[0]!.upper[0]).toBeCloseTo(2 * (1 + Math.max(...r)), 12);
    expect(intervals[0]!.lower[0]).toBeCloseTo(2 * (1 + Math.min(...r)), 12);
  });
  it('rejects mismatched lengths and non-finite values', () => {
    expect(() =>
      splitConformalRegression({ calY: y, calPredictions: [1], testPredictions: [0], alpha: 0.1 }),
    ).toThrow(/predictions has length 1 but y has length 9/);
    expect(() =>
      splitConformalRegression({ calY: y, calPredictions: yhat, testPredictions: [Number.NaN], alpha: 0.1 }),
    ).toThrow(/testPredictions\[0\] is NaN/);
    expect(() =>
      splitConformalRegression({ calY: y, calPredictions: yhat, testPredictions: [0], alpha: 1.2 }),
    ).toThrow(/alpha/);
  });
});

describe('CQR: spec §8 G', () => {
  const lo = [2.8, 4.8, 1.2, 6.6, 3.5, 5.9, 1.5, 6.6, 4.7];
  const hi = [4, 6, 3, 8, 5.5, 6, 3, 7.5, 6];
  it('scores', () => {
    const { scores } = cqr({
      calY: y,
      calLower: lo,
      calUpper: hi,
      testLower: [3],
      testUpper: [5],
      alpha: 0.5,
    });
    [-0.2, -0.5, -0.8, -0.4, -0.5, 0.5, 0.5, 0.5, -0.3].forEach((v, i) => {
      expect(scores[i]).toBeCloseTo(v, 12);
    });
  });
  it('α=0.5 → Q=−0.3, [3,5] → [3.3,4.7]; α=0.2 → Q=0.5, [2.5,5.5]', () => {
    const { intervals } = cqr({
      calY: y,
      calLower: lo,
      calUpper: hi,
      testLower: [3],
      testUpper: [5],
      alpha: [0.5, 0.2],
    });
    expect(intervals[0]!.threshold).toBeCloseTo(-0.3, 12);
    expect(intervals[0]!.lower[0]).toBeCloseTo(3.3, 12);
    expect(intervals[0]!.upper[0]).toBeCloseTo(4.7, 12);
    expect(intervals[1]!.threshold).toBeCloseTo(0.5, 12);
    expect(intervals[1]!.lower[0]).toBeCloseTo(2.5, 12);
    expect(intervals[1]!.upper[0]).toBeCloseTo(5.5, 12);
  });
  it('asymmetric: each end calibrated at α/2 on its own score', () => {
    // α=0.4: rank ⌈10·0.8⌉ = 8 of lo−y and of y−hi
    const loS = lo.map((l, i) => l - y[i]!).sort((a, b) => a - b);
    const hiS = hi.map((h, i) => y[i]! - h).sort((a, b) => a - b);
    const { intervals } = cqr({
      calY: y,
      calLower: lo,
      calUpper: hi,
      testLower: [3],
      testUpper: [5],
      alpha: 0.4,
      symmetric: false,
    });
    expect(intervals[0]!.lower[0]).toBeCloseTo(3 - loS[7]!, 12);
    expect(intervals[0]!.upper[0]).toBeCloseTo(5 + hiS[7]!, 12);
  });
});

describe('interval metrics', () => {
  it('coverage and mean width by hand', () => {
    expect(intervalMetrics([1, 2, 3, 4], [0, 2.5, 2, 4], [2, 3, 4, 4])).toEqual({
      coverage: 0.75,
      meanWidth: 1.125,
    });
  });
});
