import { describe, expect, it } from 'vitest';
import { loadChinchillaFixture } from '../__fixtures__/load-chinchilla.js';
import { bootstrapChinchilla } from './bootstrap-chinchilla.js';
import { fitChinchilla } from './fit-chinchilla.js';

const data = loadChinchillaFixture();
const points = { params: data.params, tokens: data.tokens, loss: data.loss };

describe('bootstrapChinchilla', () => {
  // A cheap fit (100 random starts) is enough to seed the warm starts; the full grid is tested elsewhere.
  const fit = fitChinchilla(points, { dropHighestLoss: 5, starts: 100, seed: 1 });

  it('reproduces Epoch’s bootstrap 95% intervals for alpha, beta and E', () => {
    const ci = bootstrapChinchilla(points, fit, { resamples: 300, seed: 42, warmStarts: 2 });
    // Epoch (spec §1.3): alpha [0.317, 0.373], beta [0.331, 0.415], E [1.769, 1.871]. A scipy re-run of this
    // Huber-loss bootstrap (1,000 resamples) gave alpha [0.319, 0.372], beta [0.331, 0.417], E [1.772, 1.870].
    // With 300 resamples the Monte-Carlo error of a 2.5% quantile is about 0.005 for alpha and 0.008 for beta.
    expect(Math.abs(ci.alpha.lower - 0.317)).toBeLessThan(0.01);
    expect(Math.abs(ci.alpha.upper - 0.373)).toBeLessThan(0.01);
    expect(Math.abs(ci.beta.lower - 0.331)).toBeLessThan(0.015);
    expect(Math.abs(ci.beta.upper - 0.415)).toBeLessThan(0.015);
    expect(Math.abs(ci.E.lower - 1.769)).toBeLessThan(0.02);
    expect(Math.abs(ci.E.upper - 1.871)).toBeLessThan(0.02);
    expect(ci.alpha.se).toBeGreaterThan(0.01);
    expect(ci.alpha.se).toBeLessThan(0.02);
  }, 60_000);

  it('is deterministic for a seed and changes with the seed', () => {
    const a = bootstrapChinchilla(points, fit, { resamples: 5, seed: 9, warmStarts: 1 });
    const b = bootstrapChinchilla(points, fit, { resamples: 5, seed: 9, warmStarts: 1 });
    const c = bootstrapChinchilla(points, fit, { resamples: 5, seed: 10, warmStarts: 1 });
    expect(a.samples).toEqual(b.samples);
    expect(a.samples).not.toEqual(c.samples);
  });
});
