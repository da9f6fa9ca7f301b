// Reference values computed with scipy 1.17.1 (stats.t.sf, stats.chi2.sf, stats.f.sf) while writing these
// tests; the tests themselves need no Python. The normal, binomial and log-gamma cases moved to
// core-tensor's src/stats with the functions.
import { describe, expect, it } from 'vitest';
import { chiSquareSf } from '../src/distributions/chi-square.js';
import { fSf } from '../src/distributions/f-dist.js';
import { studentTCdf, studentTSf, studentTTwoSided } from '../src/distributions/student-t.js';

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
