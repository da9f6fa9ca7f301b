// Reference values from scipy 1.17.1 (special.gammaln), computed while writing the tests (moved here
// from @modelsmith/eval); the tests themselves need no Python.
import { describe, expect, it } from 'vitest';
import { logGamma } from './log-gamma.js';

describe('logGamma (scipy special.gammaln)', () => {
  const cases: [number, number][] = [
    [0.5, 0.5723649429247],
    [1.5, -0.12078223763524526],
    [3, Math.LN2],
    [9.5, 11.689333420797269],
    [10, 12.801827480081469],
    [25.3, 55.746181183584596],
    [1000, 5905.220423209181],
    [1e6, 12815504.569147611],
    [0.001, 6.907178885383853],
  ];
  it.each(cases)('x=%f', (x, expected) =>
    expect(Math.abs(logGamma(x) - expected)).toBeLessThan(4e-15 * Math.max(1, Math.abs(expected))),
  );
  it('is 0 at 1 and 2 to absolute 1e-14', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
  });
  it('is NaN outside x > 0', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
    expect(logGamma(Number.NaN)).toBeNaN();
  });
});
