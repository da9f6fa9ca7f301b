// Reference values from scipy 1.17.1 (stats.binom.cdf/sf), computed while writing the tests (moved here
// from @modelsmith/eval); the tests need no Python.
import { describe, expect, it } from 'vitest';
import { expectRelative } from './__fixtures__/expect-relative.js';
import { binomialCdf, binomialPmf, binomialSf } from './binomial-distribution.js';

describe('binomial (scipy stats.binom.cdf/sf)', () => {
  const cases: [number, number, number, number, number][] = [
    [33, 180, 0.5, 1.1215540622837497e-18, 1.0],
    [2, 14, 0.5, 0.0064697265625, 0.9935302734375],
    [0, 10, 0.3, 0.028247524900000005, 0.9717524751],
    [45, 100, 0.4, 0.8689095473802517, 0.13109045261974825],
    [500, 1000, 0.55, 0.0008465492166192581, 0.9991534507833807],
    [3, 7, 0.9, 0.002727999999999998, 0.997272],
  ];
  it.each(cases)('k=%f n=%f p=%f', (k, n, p, cdf, sf) => {
    expectRelative(binomialCdf(k, n, p), cdf, 1e-12);
    expectRelative(binomialSf(k, n, p), sf, 1e-12);
  });
  it('P(Bin(10, ½) ≤ 3) = 176/1024 (hand count) and equals the sum of the pmf', () => {
    expectRelative(binomialCdf(3, 10, 0.5), 176 / 1024, 1e-14);
    let sum = 0;
    for (let k = 0; k <= 3; k++) sum += binomialPmf(k, 10, 0.5);
    expectRelative(sum, 176 / 1024, 1e-13);
  });
  it('edges: k < 0, k ≥ n, p ∈ {0, 1}', () => {
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialCdf(2, 10, 0)).toBe(1);
    expect(binomialCdf(2, 10, 1)).toBe(0);
    expect(binomialPmf(2.5, 10, 0.3)).toBe(0);
  });
});
