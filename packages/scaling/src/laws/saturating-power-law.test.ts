import { createRandom } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { fitSaturatingPowerLaw, powerLawPredictionBand, saturatingPowerLaw } from './saturating-power-law.js';

const truth = { E: 0.25, B: 40, beta: 0.55 };
const sizes = [250, 500, 1000, 2000, 4000, 8000, 16000];

describe('fitSaturatingPowerLaw', () => {
  it('recovers exact parameters from noiseless points (objective ≈ 0)', () => {
    const fit = fitSaturatingPowerLaw(
      sizes,
      sizes.map((x) => saturatingPowerLaw(truth, x)),
    );
    expect(fit.params.E).toBeCloseTo(truth.E, 6);
    expect(fit.params.B / truth.B).toBeCloseTo(1, 4);
    expect(fit.params.beta).toBeCloseTo(truth.beta, 6);
    expect(fit.objective).toBeLessThan(1e-12);
  });

  it('recovers parameters within 10% under 1% multiplicative noise', () => {
    const random = createRandom(11, 'power-law-noise');
    const many = Array.from({ length: 40 }, (_, i) => 200 * 1.2 ** i);
    const y = many.map((x, i) => saturatingPowerLaw(truth, x) * Math.exp(0.01 * random.normal(i)));
    const fit = fitSaturatingPowerLaw(many, y);
    expect(Math.abs(fit.params.E / truth.E - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.beta / truth.beta - 1)).toBeLessThan(0.1);
  });

  it('rejects non-positive sizes and too few points', () => {
    expect(() => fitSaturatingPowerLaw([0, 1, 2], [1, 1, 1])).toThrow('x[0] = 0 must be finite and > 0');
    expect(() => fitSaturatingPowerLaw([1, 2], [1, 1])).toThrow('2 points for 3 parameters');
  });
});

describe('powerLawPredictionBand', () => {
  it('refuses a band from 3 points, which leave no residual to resample', () => {
    expect(() => powerLawPredictionBand([100, 200, 400], [1, 0.8, 0.7], [800])).toThrow('at least 4 points');
  });

  it('brackets the prediction and covers the true curve at an extrapolated size', () => {
    const random = createRandom(5, 'band-noise');
    const y = sizes.map((x, i) => saturatingPowerLaw(truth, x) * Math.exp(0.005 * random.normal(i)));
    const [band] = powerLawPredictionBand(sizes, y, [32000], { rounds: 100, seed: 1 });
    expect(band!.low).toBeLessThanOrEqual(band!.prediction);
    expect(band!.high).toBeGreaterThanOrEqual(band!.prediction);
    const exact = saturatingPowerLaw(truth, 32000);
    expect(exact).toBeGreaterThan(band!.low * 0.98);
    expect(exact).toBeLessThan(band!.high * 1.02);
  });
});
