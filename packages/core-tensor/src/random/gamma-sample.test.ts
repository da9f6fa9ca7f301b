import { describe, expect, it } from 'vitest';
import { incompleteGamma } from '../stats/incomplete-gamma.js';
import { sampleGamma } from './gamma-sample.js';
import { createRandom } from './keyed-random.js';

describe('sampleGamma (Marsaglia–Tsang)', () => {
  // Gamma(k, 1): mean k, variance k, excess kurtosis 6/k, so the sample variance has standard error
  // ≈ k·√((2 + 6/k)/n). Tolerance: 5 standard errors for both moments (a false failure is < 1e-5 per check).
  it.each([0.3, 1, 2.5, 9])(
    'matches mean and variance of Gamma(%d, 1) within 5 SE (Monte Carlo, 20k draws)',
    (k) => {
      const n = 20_000;
      const stream = createRandom(11, 'gamma-sample-test', k).stream();
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const g = sampleGamma(stream, k);
        expect(g).toBeGreaterThanOrEqual(0);
        sum += g;
        sq += g * g;
      }
      const mean = sum / n;
      const variance = sq / n - mean * mean;
      expect(Math.abs(mean - k)).toBeLessThan(5 * Math.sqrt(k / n));
      expect(Math.abs(variance - k)).toBeLessThan(5 * k * Math.sqrt((2 + 6 / k) / n));
    },
  );

  it('puts the right mass below fixed points (regularized incomplete gamma, 5 binomial SE)', () => {
    const n = 20_000;
    const k = 0.7;
    const points = [0.05, 0.3, 1, 2.5];
    const below = points.map(() => 0);
    const stream = createRandom(12, 'gamma-sample-cdf').stream();
    for (let i = 0; i < n; i++) {
      const g = sampleGamma(stream, k);
      points.forEach((x, j) => {
        if (g <= x) below[j]!++;
      });
    }
    points.forEach((x, j) => {
      const p = incompleteGamma(k, x).lower;
      expect(Math.abs(below[j]! / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    });
  });

  it('is a pure function of the stream key and position, and NaN for a bad shape', () => {
    const draw = () => {
      const s = createRandom(5, 'gamma-determinism').stream(7);
      return [sampleGamma(s, 0.4), sampleGamma(s, 3), sampleGamma(s, 50)];
    };
    expect(draw()).toEqual(draw());
    const s = createRandom(5, 'gamma-bad').stream();
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(sampleGamma(s, bad)).toBeNaN();
  });
});
