import { createRandom } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calibratePredictiveSystem,
  evaluatePredictiveSystem,
  meanPredictiveCrps,
  piecewiseLinearCrps,
  predictiveCrps,
  stepCdfCrps,
} from '../src/index.js';

/** Energy form E|X − y| − ½E|X − X'| of the empirical distribution of xs, by a direct O(n²) double sum. */
function energyCrps(xs: readonly number[], y: number): number {
  const n = xs.length;
  let first = 0;
  let second = 0;
  for (let i = 0; i < n; i++) {
    first += Math.abs(xs[i]! - y);
    for (let k = 0; k < n; k++) second += Math.abs(xs[i]! - xs[k]!);
  }
  return first / n - second / (2 * n * n);
}

/** Step levels 0, 1/n, …, 1 of the empirical CDF of the sorted points. */
const empiricalLevels = (n: number) => Array.from({ length: n + 1 }, (_, k) => k / n);

function expectRelClose(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-12) + 1e-12);
}

const finiteDouble = (range: number) =>
  fc.double({ min: -range, max: range, noNaN: true, noDefaultInfinity: true });

describe('stepCdfCrps', () => {
  // F = 0, 1/3, 2/3, 1 with jumps at 0, 1, 2 (mass 1/3 each).
  const points = [0, 1, 2];
  const levels = [0, 1 / 3, 2 / 3, 1];
  it('y = 0.5 inside the support, by hand: (1/3)²·½ + (2/3)²·½ + (1/3)²·1 = 7/18', () => {
    expectRelClose(stepCdfCrps(points, levels, 0.5), 7 / 18, 1e-15);
  });
  it('y = 3 above the support: (1/3)² + (2/3)² + 1·(3 − 2) = 14/9; y = −1 below: 1 + (2/3)² + (1/3)² = 14/9', () => {
    expectRelClose(stepCdfCrps(points, levels, 3), 14 / 9, 1e-15);
    expectRelClose(stepCdfCrps(points, levels, -1), 14 / 9, 1e-15);
  });
  it('y on a jump (y = 1): (1/3)²·1 + (1/3)²·1 = 2/9', () => {
    expectRelClose(stepCdfCrps(points, levels, 1), 2 / 9, 1e-15);
  });
  it('point mass at m: CRPS = |y − m|', () => {
    fc.assert(
      fc.property(finiteDouble(1e6), finiteDouble(1e6), (m, y) => {
        expect(stepCdfCrps([m], [0, 1], y)).toBe(Math.abs(y - m));
      }),
    );
  });
  it('energy identity CRPS = E|X − y| − ½E|X − X′| for the empirical distribution (relative 1e-9)', () => {
    fc.assert(
      fc.property(
        fc.array(finiteDouble(100), { minLength: 1, maxLength: 40 }),
        finiteDouble(150),
        (xs, y) => {
          const sorted = [...xs].sort((a, b) => a - b);
          expectRelClose(stepCdfCrps(sorted, empiricalLevels(sorted.length), y), energyCrps(xs, y));
        },
      ),
    );
  });
  it('mass at ±∞ (the smoothed conformal CDF levels (k + τ)/(n + 1)) gives +∞', () => {
    const n = 3;
    for (const tau of [0, 0.3, 1]) {
      const smoothed = Array.from({ length: n + 1 }, (_, k) => (k + tau) / (n + 1));
      expect(stepCdfCrps(points, smoothed, 0.5)).toBe(Number.POSITIVE_INFINITY);
    }
    expect(stepCdfCrps(points, [0, 0.5, 0.9, 0.95], 5)).toBe(Number.POSITIVE_INFINITY);
  });
  it('rejects unsorted points, decreasing levels and wrong lengths', () => {
    expect(() => stepCdfCrps([1, 0], [0, 0.5, 1], 0)).toThrow(/sort the points ascending/);
    expect(() => stepCdfCrps([0, 1], [0, 0.6, 0.5], 0)).toThrow(/non-decreasing/);
    expect(() => stepCdfCrps([0, 1], [0, 1], 0)).toThrow(/expected 3/);
    expect(() => stepCdfCrps([0, 1], [0, 0.5, 1], Number.NaN)).toThrow(/finite observation/);
  });
  it('propriety (Monte Carlo): for y ~ F, the true F beats F shifted by +0.5', () => {
    // F uniform on {0, 1, 3, 7}; G = F(· − 0.5). E[CRPS(G,Y) − CRPS(F,Y)] = ∫(F − G)² = 4·(1/4)²·0.5 = 1/8
    // (by hand: F − G = 1/4 on [0,.5), [1,1.5), [3,3.5), [7,7.5)). Tolerance: 4 standard errors of the mean
    // paired difference over 20000 draws, and the mean difference must be positive.
    const support = [0, 1, 3, 7];
    const shifted = support.map((v) => v + 0.5);
    const levels4 = empiricalLevels(4);
    const random = createRandom(11, 'crps-propriety');
    const draws = 20000;
    let sum = 0;
    let sumSq = 0;
    for (let d = 0; d < draws; d++) {
      const y = support[Math.min(3, Math.floor(4 * random.uniform(d)))]!;
      const diff = stepCdfCrps(shifted, levels4, y) - stepCdfCrps(support, levels4, y);
      sum += diff;
      sumSq += diff * diff;
    }
    const mean = sum / draws;
    const se = Math.sqrt((sumSq / draws - mean * mean) / draws);
    expect(mean).toBeGreaterThan(0);
    expect(Math.abs(mean - 1 / 8)).toBeLessThanOrEqual(4 * se);
  });
});

describe('piecewiseLinearCrps', () => {
  it('U(0,1): y inside → y³/3 + (1 − y)³/3; y = 2 → 1/3 + 1 = 4/3 (hand integrals)', () => {
    for (const y of [0, 0.25, 0.5, 0.9, 1]) {
      expectRelClose(piecewiseLinearCrps([0, 1], [0, 1], y), y ** 3 / 3 + (1 - y) ** 3 / 3, 1e-14);
    }
    expectRelClose(piecewiseLinearCrps([0, 1], [0, 1], 2), 4 / 3, 1e-15);
    expectRelClose(piecewiseLinearCrps([0, 1], [0, 1], -1), 4 / 3, 1e-15);
  });
  it('U(0,1) agrees with the energy form (y² + (1 − y)²)/2 − 1/6 for y in [0,1]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (y) => {
        expect(piecewiseLinearCrps([0, 1], [0, 1], y)).toBeCloseTo((y * y + (1 - y) ** 2) / 2 - 1 / 6, 12);
      }),
    );
  });
  it('a step CDF written with repeated knots matches stepCdfCrps', () => {
    fc.assert(
      fc.property(fc.array(finiteDouble(50), { minLength: 1, maxLength: 20 }), finiteDouble(80), (xs, y) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const n = sorted.length;
        const knots = sorted.flatMap((v) => [v, v]);
        const values = sorted.flatMap((_, i) => [i / n, (i + 1) / n]);
        expectRelClose(piecewiseLinearCrps(knots, values, y), stepCdfCrps(sorted, empiricalLevels(n), y));
      }),
    );
  });
  it('matches a fine midpoint-rule integral of (F − 1[t ≥ y])² (absolute 1e-6)', () => {
    const knots = [-1, 0, 0.5, 2, 3];
    const values = [0, 0.2, 0.6, 0.7, 1];
    const F = (t: number) => {
      if (t <= knots[0]!) return 0;
      if (t >= knots[4]!) return 1;
      let k = 1;
      while (t > knots[k]!) k++;
      const a = knots[k - 1]!;
      const b = knots[k]!;
      return values[k - 1]! + ((values[k]! - values[k - 1]!) * (t - a)) / (b - a);
    };
    for (const y of [-2, -0.3, 0.5, 1.7, 4]) {
      const lo = -3;
      const hi = 5;
      const cells = 200000;
      const h = (hi - lo) / cells;
      let integral = 0;
      for (let c = 0; c < cells; c++) {
        const t = lo + (c + 0.5) * h;
        integral += (F(t) - (t >= y ? 1 : 0)) ** 2 * h;
      }
      expect(Math.abs(piecewiseLinearCrps(knots, values, y) - integral)).toBeLessThanOrEqual(1e-6);
    }
  });
  it('mass at ±∞ gives +∞', () => {
    expect(piecewiseLinearCrps([0, 1], [0.1, 1], 0.5)).toBe(Number.POSITIVE_INFINITY);
    expect(piecewiseLinearCrps([0, 1], [0, 0.9], 0.5)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('predictiveCrps / meanPredictiveCrps (conformal predictive systems)', () => {
  // Spec §8 F data: signed residuals sorted = [−1.3, −0.95, −0.7, −0.4, −0.3, −0.2, 0.5, 0.6, 0.9].
  const calY = [3, 5.5, 2, 7, 4, 6.5, 1, 8, 5];
  const calPredictions = [3.4, 5, 2.7, 6.1, 4.2, 6.8, 2.3, 7.4, 5.95];
  const residuals = [-1.3, -0.95, -0.7, -0.4, -0.3, -0.2, 0.5, 0.6, 0.9];
  const cps = calibratePredictiveSystem({ calY, calPredictions });
  it('equals the energy form of the candidate values ŷ + r_i, inside and outside the support', () => {
    for (const y of [5, 9.9, 10, 10.45, 10.9, 13]) {
      const crps = predictiveCrps(cps, [10], [y])[0]!;
      expectRelClose(
        crps,
        energyCrps(
          residuals.map((r) => 10 + r),
          y,
        ),
      );
    }
  });
  it('point mass (one calibration residual r): CRPS = |y − ŷ − r|', () => {
    const single = calibratePredictiveSystem({ calY: [2], calPredictions: [1.5] });
    expect(Array.from(predictiveCrps(single, [0, 3], [4, 1]))).toEqual([3.5, 2.5]);
  });
  it('energy identity on random systems, normalized with σ (relative 1e-9), and the mean', () => {
    fc.assert(
      fc.property(
        fc.array(finiteDouble(20), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(finiteDouble(20), finiteDouble(40), fc.double({ min: 0.1, max: 5, noNaN: true })), {
          minLength: 1,
          maxLength: 8,
        }),
        (calResiduals, tests) => {
          const sigmaCal = calResiduals.map((_, i) => 0.5 + (i % 3));
          const system = calibratePredictiveSystem({
            calY: calResiduals.map((r, i) => r * sigmaCal[i]!),
            calPredictions: calResiduals.map(() => 0),
            calSigma: sigmaCal,
          });
          const preds = tests.map((t) => t[0]);
          const ys = tests.map((t) => t[1]);
          const sigmas = tests.map((t) => t[2]);
          const scores = predictiveCrps(system, preds, ys, { testSigma: sigmas });
          let sum = 0;
          tests.forEach(([mu, y, s], j) => {
            const candidates = Array.from(system.residuals, (r) => mu + s * r);
            const expected = energyCrps(candidates, y);
            expectRelClose(scores[j]!, expected);
            sum += expected;
          });
          expectRelClose(meanPredictiveCrps(system, preds, ys, { testSigma: sigmas }), sum / tests.length);
        },
      ),
    );
  });
  it('evaluatePredictiveSystem: α = 0.2 → [ŷ − 1.3, ŷ + 0.9] (width 2.2); y = 10.5 and 20 covered, 12 not → error 1/3', () => {
    const e = evaluatePredictiveSystem(cps, [10, 10, 20], [10.5, 12, 20], { alpha: 0.2 });
    expect(e.error).toBeCloseTo(1 / 3, 15);
    expect(e.meanWidth).toBeCloseTo(2.2, 12);
    expect(e.medianWidth).toBeCloseTo(2.2, 12);
    const candidates = residuals.map((r) => 10 + r);
    const expected =
      (energyCrps(candidates, 10.5) +
        energyCrps(candidates, 12) +
        energyCrps(
          candidates.map((c) => c + 10),
          20,
        )) /
      3;
    expectRelClose(e.crps, expected);
  });
  it('rejects a normalized system without testSigma and mismatched lengths', () => {
    const normalized = calibratePredictiveSystem({ calY: [1, 2], calPredictions: [0, 0], calSigma: [1, 1] });
    expect(() => predictiveCrps(normalized, [0], [1])).toThrow(/testSigma/);
    expect(() => predictiveCrps(cps, [0, 1], [1])).toThrow(/length/);
    expect(() => meanPredictiveCrps(cps, [], [])).toThrow(/empty/);
  });
});
