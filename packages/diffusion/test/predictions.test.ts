import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertPrediction, edmPreconditioningCoefficients, PREDICTION_TYPES } from '../src/index.js';

describe('prediction types', () => {
  it('every conversion round-trips to 1e-12 on VP, VE and flow coefficients', () => {
    const coef = fc.oneof(
      fc.double({ min: 0.01, max: 1.5, noNaN: true }).map((a) => [Math.cos(a), Math.sin(a)] as const),
      fc.double({ min: 0.01, max: 80, noNaN: true }).map((s) => [1, s] as const),
      fc.double({ min: 0.01, max: 0.99, noNaN: true }).map((s) => [1 - s, s] as const),
    );
    fc.assert(
      fc.property(
        coef,
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 4, maxLength: 4 }),
        ([alpha, sigma], x0v, epsv) => {
          const x0 = Float64Array.from(x0v);
          const eps = Float64Array.from(epsv);
          const x = x0.map((v, i) => alpha * v + sigma * eps[i]!);
          for (const from of PREDICTION_TYPES) {
            const p = convertPrediction(x0, 'x0', from, x, alpha, sigma);
            for (const to of PREDICTION_TYPES) {
              const q = convertPrediction(p, from, to, x, alpha, sigma);
              const back = convertPrediction(q, to, 'x0', x, alpha, sigma);
              for (let i = 0; i < 4; i++)
                expect(Math.abs(back[i]! - x0[i]!)).toBeLessThan(1e-12 * (1 + sigma) * 100);
            }
            const e = convertPrediction(p, from, 'eps', x, alpha, sigma);
            for (let i = 0; i < 4; i++)
              expect(Math.abs(e[i]! - eps[i]!)).toBeLessThan(1e-10 * (1 + 1 / sigma));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('v and flow match their definitions', () => {
    const [a, s] = [0.6, 0.8];
    const x0 = Float64Array.of(1);
    const eps = Float64Array.of(2);
    const x = Float64Array.of(a * 1 + s * 2);
    expect(convertPrediction(x0, 'x0', 'v', x, a, s)[0]).toBeCloseTo(a * 2 - s * 1, 14);
    expect(convertPrediction(eps, 'eps', 'score', x, a, s)[0]).toBeCloseTo(-2 / s, 14);
    const xf = Float64Array.of(0.7 * 1 + 0.3 * 2);
    expect(convertPrediction(x0, 'x0', 'flow', xf, 0.7, 0.3)[0]).toBeCloseTo(2 - 1, 14);
  });

  it('EDM preconditioning coefficients (sd = 0.5, sigma = 1.2) by hand', () => {
    const c = edmPreconditioningCoefficients(1.2);
    expect(c.cSkip).toBeCloseTo(0.25 / 1.69, 14);
    expect(c.cOut).toBeCloseTo(0.6 / 1.3, 14);
    expect(c.cIn).toBeCloseTo(1 / 1.3, 14);
    expect(c.cNoise).toBeCloseTo(Math.log(1.2) / 4, 14);
  });
});
