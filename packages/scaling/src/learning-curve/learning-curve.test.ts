import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { curveFamily } from './curve-family.js';
import { evaluateExtrapolation } from './evaluate-extrapolation.js';
import { type ExtrapolateCurveOptions, extrapolateCurve } from './extrapolate-curve.js';
import { logPriorZ, thetaToZ, zToTheta } from './lc-posterior.js';
import { lcMean, lcSatisfiesConstraints, sampleLcPrior } from './lc-prior.js';
import { predictiveEarlyStopping } from './predictive-early-stopping.js';

const fast = { walkers: 26, steps: 300, burn: 150, mapStarts: 2, priorDraws: 200 } as const;

describe('LC-PFN prior', () => {
  it('draws curves that satisfy its rejection rules, deterministically per seed', () => {
    for (let i = 0; i < 50; i++) {
      const c = sampleLcPrior(5, i);
      expect(lcSatisfiesConstraints(c.theta, 100)).toBe(true);
      expect(c.y[99]!).toBeGreaterThan(c.y[0]!);
      expect(c.theta[0]!).toBeGreaterThanOrEqual(0);
      expect(c.theta[0]!).toBeLessThanOrEqual(1);
    }
    expect(sampleLcPrior(5, 3).yNoisy).toEqual(sampleLcPrior(5, 3).yNoisy);
  });

  it('mixture equals the weighted sum of the curves.py components', () => {
    const c = sampleLcPrior(9, 1);
    const t = Array.from(c.theta);
    for (const x of [1, 7, 50]) {
      const direct =
        t[0]! * curveFamily.pow3(x, [t[3]!, t[4]!, t[5]!]) +
        t[1]! * curveFamily.ilog2(x, [t[6]!, t[7]!]) +
        t[2]! * curveFamily.janoschek(x, [t[8]!, t[9]!, t[10]!, t[11]!]);
      expect(lcMean(c.theta, x)).toBeCloseTo(direct, 12);
    }
  });

  it('maps parameters to unconstrained coordinates and back (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (i) => {
        const theta = sampleLcPrior(1, i, 20).theta;
        const back = zToTheta(thetaToZ(theta));
        for (let k = 0; k < theta.length; k++) expect(back[k]!).toBeCloseTo(theta[k]!, 8);
        expect(Number.isFinite(logPriorZ(thetaToZ(theta)))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('implements the 11 Domhan curves as in curves.py (values worked by hand)', () => {
    expect(curveFamily.pow3(4, [0.9, 0.5, 0.5])).toBeCloseTo(0.9 - 0.5 / 2, 14);
    expect(curveFamily.ilog2(Math.E - 1, [0.8, 0.2])).toBeCloseTo(0.6, 14);
    expect(curveFamily.mmf(1, [1, 0, 1, 1])).toBeCloseTo(0.5, 14);
    expect(curveFamily.hill3(2, [0.8, 1, 2])).toBeCloseTo(0.4, 14);
    expect(curveFamily.logPower(1, [0.8, 0, 1])).toBeCloseTo(0.4, 14);
    expect(curveFamily.weibull(1, [1, 0, 1, 1])).toBeCloseTo(1 - Math.exp(-1), 14);
    expect(curveFamily.vap(1, [0, 0, 0])).toBe(1);
    expect(curveFamily.loglogLinear(1, [2, Math.E])).toBeCloseTo(1, 14);
    expect(curveFamily.exp4(1, [1, 1, 1, 1])).toBeCloseTo(0, 14);
    expect(curveFamily.pow4(1, [1, 1, 1, 1])).toBeCloseTo(0.5, 14);
    expect(curveFamily.janoschek(1, [1, 0, 1, 1])).toBeCloseTo(1 - Math.exp(-1), 14);
  });
});

describe('extrapolateCurve', () => {
  it('is calibrated on curves drawn from the prior (nominal 90% and 50% intervals)', () => {
    // 60 prior curves, 30 of 100 epochs observed, predict the noisy value at epoch 100.
    // Binomial SE of a 90% coverage over 60 curves is 0.039 (0.065 for 50%): bounds are about ±2.5 SE.
    // A 100-curve run with these settings gave 0.91 and 0.55 (README).
    let covered90 = 0;
    let covered50 = 0;
    const count = 60;
    for (let i = 0; i < count; i++) {
      const curve = sampleLcPrior(2024, i);
      const r = extrapolateCurve(
        { y: curve.yNoisy.slice(0, 30) },
        { ...fast, horizon: 100, seed: i, quantiles: [0.05, 0.25, 0.75, 0.95] },
      );
      const target = curve.yNoisy[99]!;
      const [q05, q25, q75, q95] = r.quantiles.map((q) => q.values[0]!);
      if (target >= q05! && target <= q95!) covered90++;
      if (target >= q25! && target <= q75!) covered50++;
    }
    expect(covered90 / count).toBeGreaterThanOrEqual(0.8);
    expect(covered90 / count).toBeLessThanOrEqual(0.98);
    expect(covered50 / count).toBeGreaterThanOrEqual(0.34);
    expect(covered50 / count).toBeLessThanOrEqual(0.66);
  }, 60_000);

  it('handles a decreasing metric in its own units and is deterministic for a seed', () => {
    // A loss curve 4 → 2 style: L(x) = 2 + 2·x^−0.5 on a [0, 5] range.
    const y = Array.from({ length: 20 }, (_, i) => 2 + 2 * (i + 1) ** -0.5);
    const options: ExtrapolateCurveOptions = {
      ...fast,
      horizon: 100,
      direction: 'decreasing',
      range: [0, 5],
      seed: 3,
      at: [50],
    };
    const a = extrapolateCurve({ y }, options);
    const b = extrapolateCurve({ y }, options);
    expect(a.horizonSamples).toEqual(b.horizonSamples);
    const truth = 2 + 2 * 100 ** -0.5;
    const median = a.quantiles.find((q) => q.level === 0.5)!.values.at(-1)!;
    expect(Math.abs(median - truth)).toBeLessThan(0.15);
    expect(a.at).toEqual([50, 100]);
    // Loss keeps falling: the 50-epoch median is above the 100-epoch one.
    expect(a.quantiles.find((q) => q.level === 0.5)!.values[0]!).toBeGreaterThan(median);
  });

  it('rejects bad input', () => {
    expect(() => extrapolateCurve({ y: [0.1] }, { horizon: 10 })).toThrow(/at least 2/);
    expect(() => extrapolateCurve({ y: [0.1, Number.NaN] }, { horizon: 10 })).toThrow(/y\[1\]/);
    expect(() => extrapolateCurve({ x: [1, 20], y: [0.1, 0.2] }, { horizon: 10 })).toThrow(
      /beyond the horizon/,
    );
    expect(() => extrapolateCurve({ y: [0.1, 0.2] }, { horizon: 10, range: [1, 0] })).toThrow(/range/);
  });
});

describe('evaluateExtrapolation and predictiveEarlyStopping', () => {
  it('scores later cutoffs better (LC-PFN protocol) on prior curves', () => {
    const curves = Array.from({ length: 6 }, (_, i) => sampleLcPrior(77, i, 50).yNoisy);
    const scores = evaluateExtrapolation(curves, { cutoffs: [0.1, 0.8], sampler: fast, seed: 1 });
    expect(scores).toHaveLength(2);
    expect(scores[1]!.meanLogLikelihood).toBeGreaterThan(scores[0]!.meanLogLikelihood);
    expect(scores[1]!.mse).toBeLessThan(scores[0]!.mse);
  }, 30_000);

  it('stops when few predictive draws beat the best run', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i / 100);
    expect(predictiveEarlyStopping(samples, 0.97)).toEqual({ probabilityOfImprovement: 0.02, stop: true });
    expect(predictiveEarlyStopping(samples, 0.5).stop).toBe(false);
    expect(predictiveEarlyStopping(samples, 0.02, { direction: 'decreasing' }).probabilityOfImprovement).toBe(
      0.02,
    );
  });
});
