// Reference values from scipy 1.17.1 (stats.beta.ppf); the tests need no Python.
import { describe, expect, it } from 'vitest';
import { expectRelative } from './__fixtures__/expect-relative.js';
import { betaQuantile } from './beta-quantile.js';
import { incompleteBeta } from './incomplete-beta.js';

describe('betaQuantile (scipy stats.beta.ppf)', () => {
  const cases: [number, number, number, number][] = [
    [0.025, 3, 8, 0.06673951117773447],
    [0.975, 3, 8, 0.5560954623076415],
    [0.5, 0.5, 0.5, 0.5],
    [1e-6, 2, 50, 2.8018420335858742e-5],
    [0.9, 40, 10, 0.8691293118893433],
  ];
  it.each(cases)('q=%f a=%f b=%f', (q, a, b, expected) => {
    const x = betaQuantile(q, a, b);
    expect(Math.abs(x - expected)).toBeLessThan(1e-15 + 1e-12 * expected);
    expectRelative(incompleteBeta(x, a, b).lower, q, 1e-9);
  });
  it('Beta(1, 1) is uniform; edges', () => {
    expect(betaQuantile(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(betaQuantile(0, 2, 3)).toBe(0);
    expect(betaQuantile(1, 2, 3)).toBe(1);
    expect(betaQuantile(0.5, -1, 3)).toBeNaN();
  });
});
