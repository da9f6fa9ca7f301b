import { describe, expect, it } from 'vitest';
import { loadChinchillaFixture } from '../__fixtures__/load-chinchilla.js';
import { chinchillaLoss } from './chinchilla-params.js';
import { fitChinchillaHuberLikelihood, huberNormalizer } from './fit-huber-likelihood.js';

describe('fitChinchillaHuberLikelihood', () => {
  it('has the Huber density normaliser of scipy (√(2π)(1 − 2Φ(−δ)) + 2e^(−δ²/2)/δ)', () => {
    // scipy.stats.norm: 2000.0009999999165 for δ = 1e-3; 2.6046 for δ = 1 (worked in Python).
    expect(huberNormalizer(1e-3)).toBeCloseTo(2000.001, 6);
    expect(huberNormalizer(1)).toBeCloseTo(Math.sqrt(2 * Math.PI) * 0.6826894921 + 2 * Math.exp(-0.5), 6);
  });

  it('reproduces Epoch’s headline estimate from Hoffmann’s starting point', () => {
    const d = loadChinchillaFixture();
    const fit = fitChinchillaHuberLikelihood(
      { params: d.params, tokens: d.tokens, loss: d.loss },
      { dropHighestLoss: 5 },
    );
    // Epoch notebook: A 482.006, B 2085.434, E 1.817, alpha 0.3478, beta 0.3658 (spec §1.3).
    expect(fit.params.A).toBeCloseTo(482.006, 0);
    expect(fit.params.B / 2085.434).toBeCloseTo(1, 3);
    expect(fit.params.E).toBeCloseTo(1.817, 3);
    expect(Math.abs(fit.params.alpha - 0.3478)).toBeLessThan(1e-4);
    expect(Math.abs(fit.params.beta - 0.3658)).toBeLessThan(1e-4);
    expect(fit.scale).toBeGreaterThan(0);
  });

  it('recovers known parameters from synthetic data with Laplace noise', () => {
    const truth = { E: 1.7, A: 400, B: 1500, alpha: 0.33, beta: 0.3 };
    const params: number[] = [];
    const tokens: number[] = [];
    const loss: number[] = [];
    let k = 0;
    for (let i = 0; i < 10; i++)
      for (let j = 0; j < 10; j++) {
        const n = 10 ** (7.5 + (2.5 * i) / 9);
        const t = 10 ** (8.5 + (3 * j) / 9);
        params.push(n);
        tokens.push(t);
        // Deterministic ±0.5% noise.
        loss.push(chinchillaLoss(truth, n, t) * Math.exp(0.005 * Math.sin(1 + 2.3 * k++)));
      }
    const fit = fitChinchillaHuberLikelihood({ params, tokens, loss }, { starts: [truth] });
    expect(Math.abs(fit.params.alpha - truth.alpha)).toBeLessThan(0.03);
    expect(Math.abs(fit.params.beta - truth.beta)).toBeLessThan(0.03);
    expect(Math.abs(fit.params.E - truth.E)).toBeLessThan(0.05);
  });
});
