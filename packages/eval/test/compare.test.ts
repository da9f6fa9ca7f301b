// Reference numbers: spec §1 (mlxtend test suite / docs, re-checked there) unless noted.
import { ModelsmithError } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { cochransQ } from '../src/compare/cochrans-q.js';
import {
  combinedFTest5x2cv,
  pairedTTest5x2cv,
  pairedTTestKFold,
  pairedTTestResampled,
} from '../src/compare/fold-t-tests.js';
import { looneyF } from '../src/compare/looney-f.js';
import { mcnemar } from '../src/compare/mcnemar.js';
import { mcnemarTable, mcnemarTables } from '../src/compare/mcnemar-table.js';
import { permutationTest } from '../src/compare/permutation-test.js';
import { proportionDifference } from '../src/compare/proportion-difference.js';
import { expectClose } from './helpers.js';

describe('mcnemarTable / mcnemarTables', () => {
  const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
  const m1 = [0, 1, 0, 0, 0, 1, 1, 0, 0, 0];
  const m2 = [0, 0, 1, 1, 0, 1, 1, 0, 0, 0];
  const m3 = [0, 1, 1, 0, 0, 1, 1, 0, 0, 0];
  it('matches the mlxtend test suite (not the stale docs [[4,1],[2,3]])', () => {
    expect(mcnemarTable(y, m1, m2)).toEqual([
      [4, 2],
      [1, 3],
    ]);
  });
  it('builds all pairwise tables', () => {
    const t = mcnemarTables(y, [m1, m2, m3]);
    expect(t['model_0 vs model_1']).toEqual([
      [4, 2],
      [1, 3],
    ]);
    expect(t['model_0 vs model_2']).toEqual([
      [5, 1],
      [0, 4],
    ]);
    expect(t['model_1 vs model_2']).toEqual([
      [4, 1],
      [1, 4],
    ]);
  });
  it('works with string labels and rejects mismatched lengths', () => {
    expect(mcnemarTable(['a', 'b'], ['a', 'c'], ['c', 'b'])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(() => mcnemarTable([1, 2], [1], [1, 2])).toThrow(/yModel1 has 1/);
  });
});

describe('mcnemar', () => {
  const t = [
    [101, 121],
    [59, 33],
  ] as const;
  it('corrected χ² (mlxtend default)', () => {
    const r = mcnemar(t);
    expectClose(r.statistic!, 20.672222, 5e-7);
    expectClose(r.pValue, 5.450095e-6, 5e-13);
  });
  it('uncorrected χ²', () => {
    const r = mcnemar(t, { corrected: false });
    expectClose(r.statistic!, 21.355556, 5e-7);
    expectClose(r.pValue, 3.815136e-6, 5e-13);
  });
  it('exact binomial', () => {
    const r = mcnemar(t, { exact: true });
    expect(r.statistic).toBeNull();
    expectClose(r.pValue, 4.434449e-6, 5e-13);
  });
  it('docs scenario B', () => {
    const table = [
      [9945, 25],
      [15, 15],
    ] as const;
    const r = mcnemar(table);
    expectClose(r.statistic!, 2.025, 1e-12);
    expectClose(r.pValue, 0.154729, 5e-7);
    const u = mcnemar(table, { corrected: false });
    expectClose(u.statistic!, 2.5, 1e-12);
    expectClose(u.pValue, 0.113846, 5e-7);
  });
  it('docs scenario A: exact p = 26/4096 (current mlxtend, not the stale 0.005859375)', () => {
    const table = [
      [9959, 11],
      [1, 29],
    ] as const;
    expectClose(mcnemar(table, { exact: true }).pValue, 26 / 4096, 1e-15);
    const r = mcnemar(table);
    expectClose(r.statistic!, 6.75, 1e-12);
    expectClose(r.pValue, 0.009375, 5e-7);
    expect(r.exactRecommended).toBe(true);
  });
  it('rejects bad tables and options', () => {
    expect(() =>
      mcnemar([
        [1, -1],
        [2, 3],
      ] as never),
    ).toThrow(ModelsmithError);
    expect(() => mcnemar(t, { exact: 'yes' } as never)).toThrow(/exact/);
    expect(() =>
      mcnemar([
        [4, 0],
        [0, 4],
      ]),
    ).toThrow(/b \+ c = 0/);
  });
});

describe("Cochran's Q and Looney's F", () => {
  const n = 100;
  const y = new Array(n).fill(0);
  const wrong = (idx: number[]) => y.map((_, i) => (idx.includes(i) ? 1 : 0));
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const m1 = wrong(range(0, 15));
  const m2 = wrong([...range(0, 5), 20, 21]);
  const m3 = wrong([0, 1, 2, 6, 20, 21, 98, 99]);
  it('Q on three models', () => {
    const r = cochransQ(y, [m1, m2, m3]);
    expectClose(r.statistic, 7.529412, 5e-7);
    expectClose(r.pValue, 0.023174, 5e-7);
    expect(r.df).toBe(2);
  });
  it('Q on two models equals uncorrected McNemar on [[82,2],[10,6]]', () => {
    const r = cochransQ(y, [m1, m2]);
    expectClose(r.statistic, 5.333333, 5e-7);
    expectClose(r.pValue, 0.020921, 5e-7);
    expect(mcnemarTable(y, m1, m2)).toEqual([
      [82, 2],
      [10, 6],
    ]);
    const mc = mcnemar(mcnemarTable(y, m1, m2), { corrected: false });
    expectClose(r.statistic, mc.statistic!, 1e-12);
    expectClose(r.pValue, mc.pValue, 1e-15);
  });
  it("Looney's F (df₂ = (M−1)·n quirk)", () => {
    const r3 = looneyF(y, [m1, m2, m3]);
    expectClose(r3.statistic, 3.872861, 5e-7);
    expectClose(r3.pValue, 0.022376, 5e-7);
    expect([r3.df1, r3.df2]).toEqual([2, 200]);
    const r2 = looneyF(y, [m1, m2]);
    expectClose(r2.statistic, 5.577465, 5e-7);
    expectClose(r2.pValue, 0.020131, 5e-7);
  });
});

describe('fold t-tests', () => {
  const D = [
    [0.02, 0.01],
    [0.03, 0],
    [0.01, 0.02],
    [0.04, 0.01],
    [0.02, 0.03],
  ];
  it('5×2cv paired t', () => {
    const r = pairedTTest5x2cv(D);
    expectClose(r.statistic, 1.380131, 5e-7);
    expectClose(r.pValue, 0.226064, 5e-7);
  });
  it('combined 5×2cv F', () => {
    const r = combinedFTest5x2cv(D);
    expectClose(r.statistic, 2.333333, 5e-7);
    expectClose(r.pValue, 0.181079, 5e-7);
  });
  const diffs = [0.02, 0.01, 0.03, 0, 0.02, 0.01, 0.04, 0.02, 0.01, 0.03];
  it('k-fold paired t equals scipy ttest_1samp (t=5.0185701660560555, p=0.0007204913385455319)', () => {
    const r = pairedTTestKFold(diffs);
    expectClose(r.statistic, 5.0185701660560555, 1e-12);
    expectClose(r.pValue, 0.0007204913385455319, 0, 1e-10);
  });
  it('resampled t: uncorrected equals k-fold; Nadeau–Bengio corrected', () => {
    expectClose(pairedTTestResampled(diffs).statistic, pairedTTestKFold(diffs).statistic, 1e-12);
    const r = pairedTTestResampled(diffs, { nadeauBengio: { nTrain: 0.7, nTest: 0.3 } });
    expectClose(r.statistic, 2.182871, 5e-7);
    expectClose(r.pValue, 0.056908, 5e-7);
  });
  it('rejects a wrong shape', () => {
    expect(() => pairedTTest5x2cv(D.slice(0, 4))).toThrow(/5 rows/);
  });
});

describe('permutationTest', () => {
  const treatment = [689, 656, 668, 660, 679, 663, 664, 647];
  const control = [657, 623, 652, 654, 658, 660, 670, 620];
  it('exact unpaired two-sided and one-sided', () => {
    expect(permutationTest(treatment, control).pValue).toBeCloseTo(774 / 12870, 14);
    expect(permutationTest(treatment, control, { alternative: 'greater' }).pValue).toBeCloseTo(
      387 / 12870,
      14,
    );
    expectClose(permutationTest(treatment, control, { alternative: 'less' }).pValue, 0.972572, 5e-7);
  });
  it('exact paired: 4/128', () => {
    const a = [3.67, 1.72, 3.46, 2.6, 2.03, 2.1, 3.01];
    const b = [2.11, 1.79, 2.71, 1.89, 1.69, 1.71, 2.01];
    expect(permutationTest(a, b, { paired: true }).pValue).toBe(4 / 128);
  });
  it('approximate is seeded and within Monte-Carlo error of the exact p (4 sd, 4000 rounds)', () => {
    const a = permutationTest(treatment, control, { method: 'approximate', numRounds: 4000, seed: 7 });
    const b = permutationTest(treatment, control, { method: 'approximate', numRounds: 4000, seed: 7 });
    expect(a.pValue).toBe(b.pValue);
    const p = 774 / 12870;
    expect(Math.abs(a.pValue - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 4000));
    const paired = permutationTest(treatment, control, {
      method: 'approximate',
      paired: true,
      numRounds: 4000,
      seed: 1,
    });
    const exact = permutationTest(treatment, control, { paired: true });
    expect(Math.abs(paired.pValue - exact.pValue)).toBeLessThan(
      4 * Math.sqrt((exact.pValue * (1 - exact.pValue)) / 4000) + 1 / 4000,
    );
  });
});

describe('proportionDifference (one-sided lower tail, as mlxtend)', () => {
  it('0.84 vs 0.92, n=100', () => {
    const r = proportionDifference(0.84, 0.92, 100);
    expectClose(r.z, -1.754116, 5e-7);
    expectClose(r.pValue, 0.039705, 5e-7);
  });
  it('equal proportions give z=0, p=0.5', () => {
    expect(proportionDifference(0.92, 0.92, 100)).toEqual({ z: 0, pValue: 0.5 });
  });
});
