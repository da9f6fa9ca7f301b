import { describe, expect, it } from 'vitest';
import {
  aciTrajectory,
  adaptiveConformal,
  meanPinballLoss,
  pinballLoss,
  splitQuantile,
  weightedConformalThresholds,
  weightedIntervalScore,
} from '../src/index.js';

describe('ACI: spec §8 J', () => {
  it('α=0.1, γ=0.05, α_1=0.1, err=[0,0,1,0,1,1,0,0,0,0]', () => {
    const traj = aciTrajectory([0, 0, 1, 0, 1, 1, 0, 0, 0, 0], { alpha: 0.1, gamma: 0.05, alphaInit: 0.1 });
    const expected = [0.105, 0.11, 0.065, 0.07, 0.025, -0.02, -0.015, -0.01, -0.005, 0.0];
    expected.forEach((v, i) => {
      expect(traj[i]).toBeCloseTo(v, 12);
    });
  });
  it('α_t ≤ 0 gives an infinite threshold (never clipped), α_t ≥ 1 the empty set', () => {
    const run = adaptiveConformal({
      scores: [1, 2, 3, 100, 100, 100],
      alpha: 0.1,
      gamma: 1,
      alphaInit: -0.5,
    });
    expect(run.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
    const empty = adaptiveConformal({ scores: [1, 2, 3], alpha: 0.1, gamma: 0.01, alphaInit: 1.2 });
    expect(empty.thresholds[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(empty.errors[0]).toBe(1);
  });
  it('threshold at α_t equals the split quantile of the past window', () => {
    const scores = [5, 1, 4, 2, 3, 9, 7, 8, 6, 10, 0.5];
    const run = adaptiveConformal({ scores, alpha: 0.2, gamma: 0.01, warmup: 10 });
    expect(run.thresholds[0]).toBe(splitQuantile(scores.slice(0, 10), 0.2).q);
  });
});

describe('weighted conformal thresholds', () => {
  it('spec §8 K numbers per test weight; heavier test weight raises the threshold', () => {
    const t = weightedConformalThresholds([0.5, 1, 1.5, 2, 3], [1, 2, 1, 0.5, 0.5], [1, 0.1, 10], 0.4);
    expect(t[0]).toBe(1.5);
    // w_test = 0.1: total 5.1, target 0.6·5.1 = 3.06 → cumulative [1,3,4,...] → 1.5
    expect(t[1]).toBe(1.5);
    // w_test = 10: total 15, target 9 > 5 → +∞
    expect(t[2]).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('WIS and pinball: spec §8 N', () => {
  const intervals = [
    { alpha: 0.2, lower: 8, upper: 12 },
    { alpha: 0.5, lower: 9, upper: 11 },
  ];
  it.each([
    [10, 0.36],
    [11.5, 0.86],
    [13, 2.16],
    [7, 2.16],
  ])('y=%s → %s', (y, expected) => {
    expect(weightedIntervalScore(y, 10, intervals)).toBeCloseTo(expected, 12);
  });
  it('equals (2/5)·Σ pinball over levels {0.1, 0.25, 0.5, 0.75, 0.9}', () => {
    const levels = [0.1, 0.25, 0.5, 0.75, 0.9];
    const q = [8, 9, 10, 11, 12];
    for (const y of [10, 11.5, 13, 7, 9.3]) {
      const sum = levels.reduce((s, tau, l) => s + pinballLoss(y, q[l]!, tau), 0);
      expect(weightedIntervalScore(y, 10, intervals)).toBeCloseTo((2 / 5) * sum, 12);
      expect(meanPinballLoss([y], [q], levels)).toBeCloseTo(sum / 5, 12);
    }
  });
});
