import { createRandom } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  conformalRiskControl,
  hoeffdingBentkusPValue,
  hoeffdingUpperBound,
  learnThenTest,
  rcps,
  wsrUpperBound,
} from '../src/index.js';

// losses[i][l] = L_i(λ_l), λ = [0, 1, 2]; risks 0.75, 0.25, 0.
const losses = [
  [1, 1, 0],
  [1, 0, 0],
  [0, 0, 0],
  [1, 0, 0],
];

describe('conformal risk control', () => {
  it('by hand: (n/(n+1))R̂ + B/(n+1) ≤ α', () => {
    // α=0.3 → R̂ ≤ 0.125 → λ=2; α=0.45 → R̂ ≤ 0.3125 → λ=1; α=0.1 → none
    expect(conformalRiskControl({ losses, lambdas: [0, 1, 2], alpha: 0.3 }).lambda).toBe(2);
    expect(conformalRiskControl({ losses, lambdas: [0, 1, 2], alpha: 0.45 }).lambda).toBe(1);
    expect(conformalRiskControl({ losses, lambdas: [0, 1, 2], alpha: 0.1 })).toMatchObject({
      lambda: null,
      index: -1,
    });
  });
  it('E[L(λ̂)] ≤ α for miscoverage losses 1{Y > λ}, Y ~ Exp(1) (4000 reps, tolerance 4 SE)', () => {
    const lambdas = Array.from({ length: 201 }, (_, l) => l * 0.05);
    const alpha = 0.2;
    let miss = 0;
    const reps = 4000;
    for (let rep = 0; rep < reps; rep++) {
      const random = createRandom(rep, 'mc-crc');
      const ys = Array.from({ length: 20 }, (_, i) => -Math.log(1 - random.uniform(i)));
      const table = ys.map((v) => lambdas.map((lam) => (v > lam ? 1 : 0)));
      const { lambda } = conformalRiskControl({ losses: table, lambdas, alpha });
      const yTest = -Math.log(1 - random.uniform(99));
      if (lambda === null || yTest > lambda) miss++;
    }
    expect(miss / reps).toBeLessThanOrEqual(alpha + 4 * Math.sqrt((alpha * (1 - alpha)) / reps));
  });
  it('rejects losses outside [0, B] and unsorted lambdas', () => {
    expect(() => conformalRiskControl({ losses: [[2]], lambdas: [0], alpha: 0.1 })).toThrow(
      /losses\[0\]\[0\] is 2/,
    );
    expect(() => conformalRiskControl({ losses: [[0, 0]], lambdas: [1, 0], alpha: 0.1 })).toThrow(
      /strictly increasing/,
    );
  });
});

describe('RCPS and upper bounds', () => {
  it('Hoeffding bound by hand: 0.1 + √(ln 10 / 200)', () => {
    expect(hoeffdingUpperBound(0.1, 100, 0.1)).toBeCloseTo(0.1 + Math.sqrt(Math.log(10) / 200), 12);
  });
  it('λ̂ is the smallest λ with every larger λ below α', () => {
    // 100 points; risks per λ: 0.5, 0.3, 0.05, 0 → Hoeffding slack √(ln(10)/200) ≈ 0.107
    const table = Array.from({ length: 100 }, (_, i) => [i < 50 ? 1 : 0, i < 30 ? 1 : 0, i < 5 ? 1 : 0, 0]);
    const r = rcps({ losses: table, lambdas: [0, 1, 2, 3], alpha: 0.2, delta: 0.1 });
    expect(r.lambda).toBe(2);
    expect(r.upperBounds[2]).toBeCloseTo(0.05 + Math.sqrt(Math.log(10) / 200), 12);
    expect(
      rcps({ losses: table, lambdas: [0, 1, 2, 3], alpha: 0.2, delta: 0.1, bound: 'bernstein' }).lambda,
    ).not.toBeNull();
  });
  it('WSR bound covers the mean with probability ≥ 1−δ (2000 reps, Bernoulli(0.3), tolerance 3 SE)', () => {
    let misses = 0;
    const reps = 2000;
    for (let rep = 0; rep < reps; rep++) {
      const random = createRandom(rep, 'mc-wsr');
      const x = Float64Array.from({ length: 100 }, (_, i) => (random.uniform(i) < 0.3 ? 1 : 0));
      const ub = wsrUpperBound(x, 0.1);
      expect(ub).toBeLessThanOrEqual(1);
      if (ub < 0.3) misses++;
    }
    expect(misses / reps).toBeLessThanOrEqual(0.1 + 3 * Math.sqrt(0.09 / reps));
  });
});

describe('learn then test', () => {
  it('binomial CDF by hand: P(Bin(10, ½) ≤ 3) = 176/1024', () => {
    expect(binomialCdf(3, 10, 0.5)).toBeCloseTo(176 / 1024, 12);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
  });
  it('Hoeffding–Bentkus p-values are valid at the null boundary (5000 reps, tolerance 3 SE)', () => {
    let rejections = 0;
    const reps = 5000;
    for (let rep = 0; rep < reps; rep++) {
      const random = createRandom(rep, 'mc-hb');
      let sum = 0;
      for (let i = 0; i < 50; i++) sum += random.uniform(i) < 0.2 ? 1 : 0;
      if (hoeffdingBentkusPValue(sum / 50, 50, 0.2) <= 0.1) rejections++;
    }
    expect(rejections / reps).toBeLessThanOrEqual(0.1 + 3 * Math.sqrt(0.09 / reps));
  });
  it('Holm, Bonferroni and fixed sequence on a clear case', () => {
    // risks 0.9, 0.5, 0.02, 0 over 200 points: only the last two are certifiably ≤ α = 0.1
    const table = Array.from({ length: 200 }, (_, i) => [i < 180 ? 1 : 0, i < 100 ? 1 : 0, i < 4 ? 1 : 0, 0]);
    for (const fwer of ['holm', 'bonferroni', 'fixed-sequence'] as const) {
      expect(
        learnThenTest({ losses: table, lambdas: [0, 1, 2, 3], alpha: 0.1, delta: 0.1, fwer }).valid,
      ).toEqual([2, 3]);
    }
    const none = learnThenTest({
      losses: table.slice(0, 10),
      lambdas: [0, 1, 2, 3],
      alpha: 0.01,
      delta: 0.05,
    });
    expect(none.valid).toEqual([]);
  });
});
