// Reference values computed with scipy 1.17.1 (stats.t.sf, stats.chi2.sf, stats.f.sf, stats.norm.sf/cdf/ppf,
// stats.binom.cdf/sf, special.gammaln) while writing these tests; the tests themselves need no Python.
import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialSf } from '../src/distributions/binomial.js';
import { chiSquareSf } from '../src/distributions/chi-square.js';
import { fSf } from '../src/distributions/f-dist.js';
import { normalCdf, normalQuantile, normalSf } from '../src/distributions/normal.js';
import { studentTCdf, studentTSf, studentTTwoSided } from '../src/distributions/student-t.js';
import { logGamma } from '../src/special/log-gamma.js';

function expectRel(actual: number, expected: number, rtol: number): void {
  if (expected === 0) {
    expect(Math.abs(actual)).toBeLessThan(1e-300);
    return;
  }
  const rel = Math.abs(actual - expected) / Math.abs(expected);
  if (!(rel <= rtol))
    throw new Error(`expected ${expected}, got ${actual} (rel ${rel.toExponential(2)} > ${rtol})`);
}

describe('Student t survival (scipy stats.t.sf)', () => {
  const cases: [number, number, number][] = [
    [0.5, 1, 0.35241638234956674],
    [2.0, 3, 0.06966298427942152],
    [2.421622, 9, 0.019254030306544545],
    [5.01857, 9, 0.00036024575076077715],
    [10.0, 5, 8.547378787148181e-5],
    [-3.0, 20, 0.9964620506043944],
    [1.5, 100, 0.06838252906234442],
    [40.0, 7, 7.951089992425182e-10],
    [0.1, 2.5, 0.4639032720312449],
    [3.3, 1000, 0.000500498362501045],
  ];
  it.each(cases)('t=%f df=%f', (t, df, expected) => {
    expectRel(studentTSf(t, df), expected, 1e-12);
    expectRel(studentTCdf(-t, df), expected, 1e-12);
    if (t > 0) expectRel(studentTTwoSided(t, df), 2 * expected, 1e-12);
  });
});

describe('chi-square survival (scipy stats.chi2.sf)', () => {
  const cases: [number, number, number][] = [
    [0.5, 1, 0.47950012218695337],
    [3.84, 1, 0.05004352124870519],
    [20.672222, 1, 5.450095457967082e-6],
    [8.333333, 2, 0.015503856182985137],
    [50, 10, 2.669083424904495e-7],
    [150, 100, 0.0009039320423540184],
    [0.01, 3, 0.9997348349413444],
    [1000, 50, 7.188706215514871e-177],
    [7.5, 5.5, 0.22979369630684882],
  ];
  it.each(cases)('x=%f df=%f', (x, df, expected) => expectRel(chiSquareSf(x, df), expected, 1e-12));
});

describe('F survival (scipy stats.f.sf)', () => {
  const cases: [number, number, number, number][] = [
    [2.333333, 10, 5, 0.181078814002078],
    [3.872861, 2, 200, 0.02237642137332638],
    [0.5, 3, 7, 0.6940363875688137],
    [10, 1, 1, 0.19498222904213666],
    [1.2, 50, 60, 0.24830871765896673],
    [25, 4, 30, 3.514898499259046e-9],
    [0.01, 5, 5, 0.9999475708664215],
  ];
  it.each(cases)('f=%f d1=%f d2=%f', (f, d1, d2, expected) => expectRel(fSf(f, d1, d2), expected, 1e-12));
});

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
    expectRel(normalSf(z), sf, 1e-12);
    expectRel(normalCdf(z), cdf, 1e-12);
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
  it.each(quantiles)('ppf(%f)', (p, expected) => expectRel(normalQuantile(p), expected, 1e-12));
  it('ppf(0.5) is 0', () => expect(Math.abs(normalQuantile(0.5))).toBeLessThan(1e-15));
});

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
    expectRel(binomialCdf(k, n, p), cdf, 1e-12);
    expectRel(binomialSf(k, n, p), sf, 1e-12);
  });
});

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
});
