// Reference values from scipy 1.17.1 (special.betainc / betaincc); the tests need no Python.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectRelative } from './__fixtures__/expect-relative.js';
import { incompleteBeta } from './incomplete-beta.js';

describe('incompleteBeta (scipy special.betainc)', () => {
  const cases: [number, number, number, number, number][] = [
    [0.3, 2, 3, 0.34829999999999994, 0.6517000000000001],
    [0.9, 0.5, 0.5, 0.7951672353008665, 0.20483276469913342],
    [0.01, 5, 20, 3.626850557136308e-6, 0.9999963731494429],
    [0.999, 30, 2, 0.9995438962809783, 0.0004561037190216834],
    [0.5, 100, 100, 0.4999999999999996, 0.5],
    [1e-5, 0.1, 10, 0.41655822619209415, 0.583441773807906],
  ];
  it.each(cases)('x=%f a=%f b=%f', (x, a, b, lower, upper) => {
    const r = incompleteBeta(x, a, b);
    expectRelative(r.lower, lower, 1e-12);
    expectRelative(r.upper, upper, 1e-12);
  });
  it('I_x(1, 1) = x and the edges', () => {
    expect(incompleteBeta(0.37, 1, 1).lower).toBeCloseTo(0.37, 14);
    expect(incompleteBeta(0, 2, 3)).toEqual({ lower: 0, upper: 1 });
    expect(incompleteBeta(1, 2, 3)).toEqual({ lower: 1, upper: 0 });
    expect(incompleteBeta(0.5, 0, 3).lower).toBeNaN();
  });
  it('property: symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (x, a, b) => {
          const left = incompleteBeta(x, a, b).lower;
          const right = incompleteBeta(1 - x, b, a, x).upper;
          expect(Math.abs(left - right)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });
});
