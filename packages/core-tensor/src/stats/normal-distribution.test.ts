// Reference values from scipy 1.17.1 (stats.norm.sf/cdf/ppf), computed while writing the tests (moved
// here from @modelsmith/eval); the tests need no Python.
import { describe, expect, it } from 'vitest';
import { expectRelative } from './__fixtures__/expect-relative.js';
import { normalCdf, normalPdf, normalQuantile, normalSf } from './normal-distribution.js';

describe('normal (scipy stats.norm)', () => {
  const cases: [number, number, number][] = [
    [-10, 1.0, 7.61985302416047e-24],
    [-5, 0.9999997133484281, 2.866515718791933e-7],
    [-1.754116, 0.9602946836929502, 0.039705316307049716],
    [-0.3, 0.6179114221889526, 0.3820885778110474],
    [0, 0.5, 0.5],
    [1, 0.15865525393145707, 0.8413447460685429],
    [3, 0.0013498980316300933, 0.9986501019683699],
    [8, 6.22096057427174e-16, 0.9999999999999993],
    [20, 2.7536241186061556e-89, 1.0],
    [37, 5.7255712225239266e-300, 1.0],
  ];
  it.each(cases)('z=%f', (z, sf, cdf) => {
    expectRelative(normalSf(z), sf, 1e-12);
    expectRelative(normalCdf(z), cdf, 1e-12);
  });
  const quantiles: [number, number][] = [
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798409],
    [1e-5, -4.264890793922825],
    [0.025, -1.9599639845400545],
    [0.3, -0.5244005127080409],
    [0.9, 1.2815515655446004],
    [0.975, 1.959963984540054],
    [0.9999999999, 6.361340889697422],
  ];
  it.each(quantiles)('ppf(%f)', (p, expected) => expectRelative(normalQuantile(p), expected, 1e-12));
  it('ppf(0.5) is 0', () => expect(Math.abs(normalQuantile(0.5))).toBeLessThan(1e-15));
  it('ppf edges and density at 0 = 1/√(2π)', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
  });
});
