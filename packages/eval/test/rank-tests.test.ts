// Reference numbers: spec §5 "Checks" (scipy 1.10.1 / statsmodels 0.13.5) and, where marked, scipy 1.17.1
// values computed while writing the tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { friedman } from '../src/tests/friedman.js';
import { kendallTau } from '../src/tests/kendall-tau.js';
import { multipleTests } from '../src/tests/multiple-tests.js';
import { nemenyi } from '../src/tests/nemenyi.js';
import { spearman } from '../src/tests/spearman.js';
import { studentizedRangeCdf, studentizedRangeQuantile } from '../src/tests/studentized-range.js';
import { tTestOneSample, tTestPaired, tTestWelch } from '../src/tests/t-test.js';
import { wilcoxon } from '../src/tests/wilcoxon.js';
import { expectAllClose, expectClose } from './helpers.js';

describe('wilcoxon', () => {
  const d = [1, -2, 3, 4, -5, 6, 7, 8, 9, 10];
  it('exact two-sided', () => {
    const r = wilcoxon(d);
    expect(r.statistic).toBe(7);
    expect(r.method).toBe('exact');
    expect(r.pValue).toBe(0.037109375);
  });
  it('normal approximation with and without continuity (scipy 1.17.1: 0.03665792867221451, 0.04149108738773157)', () => {
    expectClose(wilcoxon(d, undefined, { method: 'approx' }).pValue, 0.03665792867221451, 0, 1e-12);
    expectClose(
      wilcoxon(d, undefined, { method: 'approx', correction: true }).pValue,
      0.04149108738773157,
      0,
      1e-12,
    );
  });
  it('one-sided greater: R+ = 48, p = 0.0185546875; less+correction (scipy: 0.983843544378378)', () => {
    const r = wilcoxon(d, undefined, { alternative: 'greater' });
    expect(r.statistic).toBe(48);
    expect(r.pValue).toBe(0.0185546875);
    expectClose(
      wilcoxon(d, undefined, { alternative: 'less', method: 'approx', correction: true }).pValue,
      0.983843544378378,
      0,
      1e-12,
    );
  });
  it('paired form equals differences', () => {
    const y = d.map((_, i) => i * 0.5);
    const x = d.map((v, i) => v + i * 0.5);
    expect(wilcoxon(x, y).pValue).toBeCloseTo(wilcoxon(d).pValue, 14);
  });
  // scipy 1.17.1 wilcoxon(d2, zero_method=zm, method='approx'[, correction=True]).
  const d2 = [1.5, -2, 3, 3, -5, 0, 7, 8, -8, 10, 0, 12];
  const zeroCases: [string, number, number, number][] = [
    ['wilcox', 14.5, 0.18457255283988294, 0.2020347464503962],
    ['pratt', 20.5, 0.1803143786781647, 0.19347001773625128],
    ['zsplit', 22, 0.18183342766165633, 0.19502283267453324],
  ];
  it.each(zeroCases)('zeros and ties, zeroMethod %s (normal approximation)', (zm, stat, p, pc) => {
    const zeroMethod = zm as 'wilcox' | 'pratt' | 'zsplit';
    const r = wilcoxon(d2, undefined, { zeroMethod, method: 'approx' });
    expect(r.method).toBe('approx');
    expect(r.statistic).toBe(stat);
    expectClose(r.pValue, p, 0, 1e-12);
    expectClose(
      wilcoxon(d2, undefined, { zeroMethod, method: 'approx', correction: true }).pValue,
      pc,
      0,
      1e-12,
    );
  });
  // scipy 1.17.1 wilcoxon(d2, zero_method=zm, alternative=alt) with method 'auto' → permutation test (n ≤ 13).
  const permutationCases: [string, string, number, number][] = [
    ['wilcox', 'two-sided', 14.5, 0.20703125],
    ['wilcox', 'greater', 40.5, 0.103515625],
    ['wilcox', 'less', 40.5, 0.908203125],
    ['pratt', 'two-sided', 20.5, 0.203125],
    ['pratt', 'greater', 54.5, 0.1015625],
    ['zsplit', 'two-sided', 22, 0.203125],
    ['zsplit', 'less', 56, 0.9140625],
  ];
  it.each(permutationCases)('auto with zeros/ties → permutation, %s %s', (zm, alt, stat, p) => {
    const r = wilcoxon(d2, undefined, { zeroMethod: zm as 'pratt', alternative: alt as 'less' });
    expect(r.method).toBe('permutation');
    expect(r.statistic).toBe(stat);
    expect(r.pValue).toBe(p);
  });
  it('a single zero (scipy 1.17.1: statistic 8, p 0.09765625)', () => {
    const r = wilcoxon([1, -2, 3, 0, 5, 6, -7, 8, 9, 10]);
    expect(r.statistic).toBe(8);
    expect(r.pValue).toBe(0.09765625);
  });
  it('refuses exact with ties/zeros', () => {
    expect(() => wilcoxon(d2, undefined, { method: 'exact' })).toThrow(/approx/);
  });
});

describe('friedman and nemenyi', () => {
  const a = [0.81, 0.75, 0.9, 0.66, 0.72, 0.88];
  const b = [0.79, 0.77, 0.85, 0.6, 0.7, 0.86];
  const c = [0.7, 0.71, 0.8, 0.62, 0.65, 0.8];
  it('χ² = 8.333333, p = 0.015504', () => {
    const r = friedman([a, b, c]);
    expectClose(r.statistic, 8.333333, 5e-7);
    expectClose(r.pValue, 0.015504, 5e-7);
    expectClose(r.pValue, 0.015503853599009356, 0, 1e-10);
  });
  it('tie correction (scipy 1.17.1: statistic 1.0, p 0.801251956901202)', () => {
    const r = friedman([
      [1, 2, 2, 3],
      [1, 3, 2, 2],
      [2, 2, 1, 3],
      [4, 1, 3, 3],
    ]);
    expectClose(r.statistic, 1, 1e-12);
    expectClose(r.pValue, 0.801251956901202, 0, 1e-11);
  });
  it('studentized range matches scipy studentized_range (df=inf)', () => {
    // scipy 1.17.1: ppf(0.95,3,inf)/√2 = 2.343700586378409 (Demšar's 2.343), k=4 → 2.569031772546482
    expectClose(studentizedRangeQuantile(0.95, 3) / Math.SQRT2, 2.343700586378409, 1e-8);
    expectClose(studentizedRangeQuantile(0.95, 4) / Math.SQRT2, 2.569031772546482, 1e-8);
    expectClose(studentizedRangeQuantile(0.9, 5) / Math.SQRT2, 2.4595157642714183, 1e-8);
    expectClose(studentizedRangeCdf(2.5, 3), 0.8194910627933065, 1e-9);
    expectClose(studentizedRangeCdf(4.1, 6), 0.9565701931512468, 1e-9);
  });
  it('nemenyi CD and mean ranks (best = 1)', () => {
    const r = nemenyi([a, b, c]);
    expectAllClose(r.meanRanks, [7 / 6, 2, 17 / 6], 1e-12);
    expectClose(r.criticalDifference, 2.343700586378409 * Math.sqrt((3 * 4) / (6 * 6)), 1e-8);
    expect(r.pValues[0]![0]).toBe(1);
    expectClose(r.pValues[0]![2]!, r.pValues[2]![0]!, 1e-15);
    // |R1 − R3| = 5/3 > CD ≈ 1.353 ⇒ p < 0.05; |R1 − R2| = 5/6 < CD ⇒ p > 0.05.
    expect(r.pValues[0]![2]!).toBeLessThan(0.05);
    expect(r.pValues[0]![1]!).toBeGreaterThan(0.05);
  });
});

describe('t-tests (scipy)', () => {
  it('paired: t=2.421622, p=0.038508', () => {
    const r = tTestPaired(
      [0.82, 0.79, 0.85, 0.91, 0.77, 0.88, 0.84, 0.8, 0.86, 0.83],
      [0.8, 0.8, 0.81, 0.86, 0.78, 0.83, 0.85, 0.74, 0.8, 0.84],
    );
    expectClose(r.statistic, 2.4216220583867227, 1e-10);
    expectClose(r.pValue, 0.038508056925759475, 0, 1e-9);
  });
  it('one-sample greater and Welch (scipy 1.17.1)', () => {
    const r = tTestOneSample([1, 2, 3, 4, 5.5], { mu: 2, alternative: 'greater' });
    expectClose(r.statistic, 1.4084056792618558, 1e-12);
    expectClose(r.pValue, 0.11589288310742797, 0, 1e-11);
    const w = tTestWelch([1, 2, 3, 4, 5.5], [2, 4, 6, 8, 9, 12]);
    expectClose(w.statistic, -2.2426928480971653, 1e-12);
    expectClose(w.df, 7.476406934147, 1e-9);
    expectClose(w.pValue, 0.05746487845705446, 0, 1e-10);
  });
});

describe('kendallTau and spearman', () => {
  it('exact: τ=0.733333, p=0.055556', () => {
    const r = kendallTau([1, 2, 3, 4, 5, 6], [2, 1, 3, 4, 6, 5]);
    expect(r.method).toBe('exact');
    expectClose(r.statistic, 0.7333333333333333, 1e-15);
    expectClose(r.pValue, 0.05555555555555555, 1e-15);
  });
  it('ties: τ-b=0.666667, p=0.118433', () => {
    const r = kendallTau([1, 2, 2, 3, 4], [1, 3, 2, 2, 4]);
    expectClose(r.statistic, 0.6666666666666666, 1e-15);
    expectClose(r.pValue, 0.1184329289166719, 0, 1e-12);
  });
  const x = [3.1, 0.2, 5.5, 2.2, 9.9, 4.4, 7.0, 1.1, 6.3, 8.8, 2.9, 5.0];
  const y = [2.0, 1.0, 4.0, 3.5, 8.0, 5.0, 6.0, 0.5, 6.5, 9.0, 3.0, 4.1];
  it('n=12 exact (scipy 1.17.1: 0.7272727272727272, 0.0004988835110362888)', () => {
    const r = kendallTau(x, y);
    expectClose(r.statistic, 0.7272727272727272, 1e-15);
    expectClose(r.pValue, 0.0004988835110362888, 0, 1e-10);
  });
  it('spearman ρ=0.885714, p=0.018845 and a second case', () => {
    const r = spearman([1, 2, 3, 4, 5, 6], [2, 1, 3, 4, 6, 5]);
    expectClose(r.statistic, 0.8857142857142858, 1e-14);
    expectClose(r.pValue, 0.01884548104956266, 0, 1e-10);
    const s = spearman(x, y);
    expectClose(s.statistic, 0.9230769230769231, 1e-14);
    expectClose(s.pValue, 1.8621951098680993e-5, 0, 1e-9);
  });
});

describe('multipleTests (statsmodels multipletests)', () => {
  const p1 = [0.1496, 0.0275, 0.3053, 0.1599, 0.2061];
  const cases1: [string, number[]][] = [
    ['bonferroni', [0.748, 0.1375, 1, 0.7995, 1]],
    ['holm', [0.5984, 0.1375, 0.5984, 0.5984, 0.5984]],
    ['fdr_bh', [0.257625, 0.1375, 0.3053, 0.257625, 0.257625]],
    ['fdr_by', [0.588244, 0.313958, 0.697102, 0.588244, 0.588244]],
    ['sidak', [0.55525, 0.130143, 0.838197, 0.581539, 0.684624]],
    ['holm-sidak', [0.47701, 0.130143, 0.47701, 0.47701, 0.47701]],
    ['hommel', [0.3053, 0.1375, 0.3053, 0.3053, 0.3053]],
    ['hochberg', [0.3053, 0.1375, 0.3053, 0.3053, 0.3053]],
    ['simes-hochberg', [0.3053, 0.1375, 0.3053, 0.3053, 0.3053]],
  ];
  it.each(cases1)('%s on the @stdlib example', (method, expected) => {
    const r = multipleTests(p1, { method: method as 'holm' });
    expectAllClose(r.adjusted, expected, 5e-7);
    expect(r.reject).toEqual([false, false, false, false, false]);
  });
  const p2 = [0.01, 0.04, 0.03, 0.005, 0.2, 0.5];
  const cases2: [string, number[], number[]][] = [
    ['bonferroni', [0.06, 0.24, 0.18, 0.03, 1, 1], [3]],
    ['holm', [0.05, 0.12, 0.12, 0.03, 0.4, 0.5], [0, 3]],
    ['fdr_bh', [0.03, 0.06, 0.06, 0.03, 0.24, 0.5], [0, 3]],
    ['fdr_by', [0.0735, 0.147, 0.147, 0.0735, 0.588, 1], []],
    ['hommel', [0.05, 0.12, 0.09, 0.03, 0.4, 0.5], [0, 3]],
    ['hochberg', [0.05, 0.12, 0.12, 0.03, 0.4, 0.5], [0, 3]],
    ['holm-sidak', [0.04901, 0.115264, 0.114707, 0.029627, 0.36, 0.5], [0, 3]],
  ];
  it.each(cases2)('%s with α=0.05', (method, expected, rejected) => {
    const r = multipleTests(p2, { method: method as 'holm', alpha: 0.05 });
    expectAllClose(r.adjusted, expected, 5e-7);
    expect(r.reject.flatMap((v, i) => (v ? [i] : []))).toEqual(rejected);
  });

  const methods = [
    'bonferroni',
    'sidak',
    'holm',
    'holm-sidak',
    'hochberg',
    'hommel',
    'fdr_bh',
    'fdr_by',
  ] as const;
  it('property: adjusted ∈ [p, 1], monotone in p, reject ⇔ adjusted ≤ α', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(...methods),
        (ps, method) => {
          const r = multipleTests(ps, { method });
          const order = ps.map((_, i) => i).sort((a, b) => ps[a]! - ps[b]!);
          for (let k = 0; k < ps.length; k++) {
            expect(r.adjusted[k]!).toBeGreaterThanOrEqual(ps[k]! - 1e-15);
            expect(r.adjusted[k]!).toBeLessThanOrEqual(1);
            expect(r.reject[k]).toBe(r.adjusted[k]! <= 0.05);
          }
          for (let k = 1; k < order.length; k++) {
            expect(r.adjusted[order[k]!]!).toBeGreaterThanOrEqual(r.adjusted[order[k - 1]!]! - 1e-15);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
  it('property: raising one p-value never lowers any adjusted p-value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 20 }),
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(...methods),
        (ps, idx, bump, method) => {
          const i = idx % ps.length;
          const raised = ps.slice();
          raised[i] = Math.max(ps[i]!, bump);
          const before = multipleTests(ps, { method }).adjusted;
          const after = multipleTests(raised, { method }).adjusted;
          for (let k = 0; k < ps.length; k++) expect(after[k]!).toBeGreaterThanOrEqual(before[k]! - 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('bad input names the index', () => {
    expect(() => multipleTests([0.1, 1.5])).toThrow(/pValues\[1\]/);
    expect(() => multipleTests([0.1], { method: 'bh' as never })).toThrow(/method/);
  });
});
