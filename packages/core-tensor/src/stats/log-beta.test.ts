// Reference values from scipy 1.17.1 (special.betaln) and mpmath at 40 digits; the tests need no Python.
import { describe, expect, it } from 'vitest';
import { logBeta } from './log-beta.js';

describe('logBeta (scipy special.betaln)', () => {
  const cases: [number, number, number][] = [
    [0.5, 0.5, Math.log(Math.PI)],
    [3, 4, Math.log(1 / 60)], // B(3, 4) = 2!·3!/6! = 1/60
    [12.5, 0.3, 0.3465222767469682],
    [50, 70, -82.26860396842366],
    [1e4, 2.5, -22.741355546968709], // mpmath (scipy's betaln is off by 1.5e-11 here)
  ];
  it.each(cases)('a=%f b=%f', (a, b, expected) => {
    expect(Math.abs(logBeta(a, b) - expected)).toBeLessThan(1e-13 * Math.max(1, Math.abs(expected)));
    expect(logBeta(b, a)).toBe(logBeta(a, b));
  });
});
