// BCa / percentile fixture: spec §1.8 (scipy.stats.bootstrap formulas, checked there). .632 formulas: §1.9.
import { describe, expect, it } from 'vitest';
import { biasVarianceDecomp } from '../src/resampling/bias-variance.js';
import { bootstrap } from '../src/resampling/bootstrap.js';
import { bootstrapInterval } from '../src/resampling/bootstrap-interval.js';
import {
  bootstrapOOBSplits,
  bootstrapPoint632,
  noInformationError,
  point632Error,
} from '../src/resampling/point632.js';
import { expectClose } from './helpers.js';

const x = [2.1, 3.4, 1.9, 5.6, 4.2, 3.3, 2.8, 6.1, 3.9, 2.5];
const thetaHat = 3.58;
const replicates = [
  3.1, 3.9, 3.5, 3.3, 4.0, 2.9, 3.6, 3.7, 3.2, 4.4, 3.0, 3.8, 3.45, 3.55, 2.7, 4.1, 3.35, 3.65, 3.25, 3.95,
];
const mean = (v: readonly number[]) => v.reduce((s, a) => s + a, 0) / v.length;
const jackknife = x.map((_, i) => mean(x.filter((__, j) => j !== i)));

describe('bootstrapInterval (pure)', () => {
  it('95% BCa: levels (0.0542765, 0.9909636), CI (2.903125, 4.348493)', () => {
    const r = bootstrapInterval(thetaHat, replicates, { method: 'bca', jackknife });
    expectClose(r.levels[0], 0.0542765, 5e-8);
    expectClose(r.levels[1], 0.9909636, 5e-8);
    expectClose(r.low, 2.903125, 5e-7);
    expectClose(r.high, 4.348493, 5e-7);
  });
  it('90% BCa: (2.977001, 4.271890)', () => {
    const r = bootstrapInterval(thetaHat, replicates, { method: 'bca', jackknife, confidence: 0.9 });
    expectClose(r.low, 2.977001, 5e-7);
    expectClose(r.high, 4.27189, 5e-7);
  });
  it('95% percentile: (2.795, 4.2575); basic reflects it about θ̂', () => {
    const p = bootstrapInterval(thetaHat, replicates, { method: 'percentile' });
    expectClose(p.low, 2.795, 1e-12);
    expectClose(p.high, 4.2575, 1e-12);
    const b = bootstrapInterval(thetaHat, replicates, { method: 'basic' });
    expectClose(b.low, 2 * thetaHat - 4.2575, 1e-12);
    expectClose(b.high, 2 * thetaHat - 2.795, 1e-12);
  });
  it('mlxtend rule: sorted[round_half_even(q·B) − 1] → B=20: q·B = 0.5 → index 0 (round(0.5)=0 → −1 → clipped), 19.5 → 20−1=19', () => {
    const r = bootstrapInterval(thetaHat, replicates, { method: 'percentile', percentileRule: 'mlxtend' });
    const sorted = [...replicates].sort((a, b) => a - b);
    expect(r.low).toBe(sorted[0]);
    expect(r.high).toBe(sorted[19]);
  });
  it('requires jackknife for BCa', () => {
    expect(() => bootstrapInterval(thetaHat, replicates)).toThrow(/jackknife/);
  });
});

describe('bootstrap driver', () => {
  it('is seeded, BCa by default, and covers the sample mean', () => {
    const a = bootstrap(x, mean, { rounds: 500, seed: 3 });
    const b = bootstrap(x, mean, { rounds: 500, seed: 3 });
    expect(a.low).toBe(b.low);
    expect(a.high).toBe(b.high);
    expect(a.low).toBeLessThan(thetaHat);
    expect(a.high).toBeGreaterThan(thetaHat);
    // se of the mean ≈ sd/√n (1.318/√10 = 0.417); bootstrap se within 20%.
    expect(Math.abs(a.se - 0.4168) / 0.4168).toBeLessThan(0.2);
    const c = bootstrap(x, mean, { rounds: 500, seed: 4 });
    expect(c.low).not.toBe(a.low);
  });
  it('Monte-Carlo: 95% percentile CI of a normal mean covers μ in 90–99% of 200 seeded datasets', () => {
    let covered = 0;
    for (let s = 0; s < 200; s++) {
      const data = Array.from({ length: 40 }, (_, i) => Math.sin(s * 97 + i * 13.7) * 0 + boxMuller(s, i));
      const r = bootstrap(data, mean, { rounds: 300, method: 'percentile', seed: s });
      if (r.low <= 0 && r.high >= 0) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.88);
    expect(covered / 200).toBeLessThan(0.995);
  });
});

function boxMuller(s: number, i: number): number {
  const u1 = (((Math.sin(s * 12.9898 + i * 78.233) * 43758.5453) % 1) + 1) % 1 || 0.5;
  const u2 = (((Math.sin(s * 39.3468 + i * 11.135) * 24634.6345) % 1) + 1) % 1;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

describe('.632 / .632+', () => {
  it('err_test 0.2, err_train 0.05 → .632 0.1448; .632+ (γ=0.5) 0.158055', () => {
    expectClose(point632Error(0.2, 0.05, undefined), 0.1448, 1e-12);
    expectClose(point632Error(0.2, 0.05, 0.5, { method: '.632+' }), 0.158055, 5e-7);
    // w = 0.632/(1 − 0.368/3) = 0.720365
    expectClose(0.632 / (1 - 0.368 / 3), 0.720365, 5e-7);
    expect(point632Error(0.2, 0.05, 0.5, { method: 'oob' })).toBe(0.2);
  });
  it("'efron' mode clips R to [0, 1] and err_test to γ; 'mlxtend' does not", () => {
    // err_test 0.6 > γ 0.5: mlxtend R = 0.55/0.45 > 1
    const ml = point632Error(0.6, 0.05, 0.5, { method: '.632+' });
    const ef = point632Error(0.6, 0.05, 0.5, { method: '.632+', mode: 'efron' });
    expectClose(ef, 0.5, 1e-12); // R = 1 → w = 1 → err = min(err_test, γ)
    expect(ml).not.toBeCloseTo(ef, 3);
  });
  it('OOB splits: train has n draws, test is exactly the never-drawn set; ~36.8% out of bag', () => {
    const splits = bootstrapOOBSplits(1000, 20, 5);
    let oob = 0;
    for (const s of splits) {
      expect(s.train.length).toBe(1000);
      const inTrain = new Set(s.train);
      for (const t of s.test) expect(inTrain.has(t)).toBe(false);
      expect(inTrain.size + s.test.length).toBe(1000);
      oob += s.test.length;
    }
    // E = 1000(1 − 1/1000)^1000 ≈ 367.7; sd per split ≈ 15 → mean of 20 within ±15.
    expect(Math.abs(oob / 20 - 367.7)).toBeLessThan(15);
  });
  it('no-information error and the driver', () => {
    expectClose(noInformationError([0, 0, 1, 1], [0, 1, 1, 1]), 1 - (0.5 * 0.25 + 0.5 * 0.75), 1e-15);
    const r = bootstrapPoint632(50, () => ({ testError: 0.2, trainError: 0.05 }), { splits: 5 });
    expectClose(r.error, 0.1448, 1e-12);
    expect(r.perSplit.length).toBe(5);
  });
});

describe('biasVarianceDecomp', () => {
  it('mse: expected loss = bias² + variance (identity), noise-free predictor has zero variance', () => {
    const y = [1, 2, 3, 4];
    const r = biasVarianceDecomp(30, y, (idx) => y.map((v) => v + (idx[0]! % 3) - 1), {
      rounds: 50,
      seed: 2,
    });
    expectClose(r.expectedLoss, r.bias + r.variance, 1e-12);
    const c = biasVarianceDecomp(30, y, () => y.map((v) => v + 0.5), { rounds: 10 });
    expectClose(c.bias, 0.25, 1e-15);
    expect(c.variance).toBe(0);
  });
  it('0-1: main prediction is the mode', () => {
    const y = [0, 1];
    const r = biasVarianceDecomp(10, y, (_idx, round) => (round < 3 ? [1, 1] : [0, 1]), {
      loss: '0-1',
      rounds: 10,
    });
    expect(r.bias).toBe(0);
    expectClose(r.variance, 3 / 20, 1e-15);
    expectClose(r.expectedLoss, 3 / 20, 1e-15);
  });
});
