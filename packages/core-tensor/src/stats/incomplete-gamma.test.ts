// Reference values from scipy 1.17.1 (special.gammainc / gammaincc); the tests need no Python.
import { describe, expect, it } from 'vitest';
import { expectRelative } from './__fixtures__/expect-relative.js';
import { incompleteGamma } from './incomplete-gamma.js';

describe('incompleteGamma (scipy special.gammainc)', () => {
  const cases: [number, number, number, number][] = [
    [0.5, 0.1, 0.34527915398142317, 0.6547208460185768],
    [3, 2.5, 0.45618688411667035, 0.5438131158833297],
    [10, 30, 0.9999928782491372, 7.121750862815593e-6],
    [100, 90, 0.15822098918643007, 0.84177901081357],
    [1000, 1100, 0.9989406767460701, 0.0010593232539299773],
    [2.5, 0.001, 9.50853459860793e-9, 0.9999999904914654],
  ];
  it.each(cases)('a=%f x=%f', (a, x, lower, upper) => {
    const r = incompleteGamma(a, x);
    expectRelative(r.lower, lower, 1e-12);
    expectRelative(r.upper, upper, 1e-12);
  });
  it('P(1, x) = 1 − e^−x and the edges', () => {
    expect(incompleteGamma(1, 0.7).upper).toBeCloseTo(Math.exp(-0.7), 14);
    expect(incompleteGamma(2, 0)).toEqual({ lower: 0, upper: 1 });
    expect(incompleteGamma(2, Number.POSITIVE_INFINITY)).toEqual({ lower: 1, upper: 0 });
    expect(incompleteGamma(-1, 1).lower).toBeNaN();
  });
});
