import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bhCount, bhUnchecked } from '../src/core/multiple-testing.js';
import { benjaminiHochberg, conformalPValues, conformalSelection, eBenjaminiHochberg } from '../src/index.js';

// Reference numbers: spec `conformal.md` §8 E, L, M.
const S = [0.3, 1.2, 0.7, 2.5, 0.1, 1.9, 0.9, 3.1, 0.5, 1.4];

describe('conformal p-values: spec §8 E', () => {
  it('deterministic: (1 + #{s_i ≥ 1.0}) / 11 = 6/11', () => {
    expect(conformalPValues(S, [1.0])[0]).toBeCloseTo(0.545455, 6);
  });
  it('smoothed with U = 0.5: 5.5/11 = 0.5', () => {
    expect(conformalPValues(S, [1.0], { randomized: true, u: 0.5 })[0]).toBeCloseTo(0.5, 12);
  });
  it('ties: cal=[1,1,2,3], test=1, U=0.5 → (2 + 0.5·3)/5 = 0.7', () => {
    expect(conformalPValues([1, 1, 2, 3], [1], { randomized: true, u: 0.5 })[0]).toBeCloseTo(0.7, 12);
    // deterministic counts ties as at least as bad: (1 + 4)/5
    expect(conformalPValues([1, 1, 2, 3], [1])[0]).toBe(1);
  });
  it('seeded draws are reproducible and lie between the U=0 and U=1 values', () => {
    const a = conformalPValues(S, [1.0, 0.3, 5], { randomized: true, seed: 7 });
    const b = conformalPValues(S, [1.0, 0.3, 5], { randomized: true, seed: 7 });
    expect(Array.from(a)).toEqual(Array.from(b));
    const lo = conformalPValues(S, [1.0, 0.3, 5], { randomized: true, u: 0 });
    const hi = conformalPValues(S, [1.0, 0.3, 5], { randomized: true, u: 1 });
    for (let j = 0; j < 3; j++) {
      expect(a[j]).toBeGreaterThanOrEqual(lo[j]!);
      expect(a[j]).toBeLessThanOrEqual(hi[j]!);
    }
    // U = 1 reproduces the deterministic p-value
    expect(Array.from(hi)).toEqual(Array.from(conformalPValues(S, [1.0, 0.3, 5])));
  });
});

describe('cfBH: spec §8 L', () => {
  const cal = Array.from({ length: 19 }, (_, i) => -2 + 0.5 * i);
  const test = [-3, -2.2, -1.2, 2.2, 6.8, -2.5];
  it('deterministic p-values', () => {
    const { pValues } = conformalSelection({ calScores: cal, testScores: test, fdr: 0.2 });
    const expected = [0.05, 0.05, 0.15, 0.5, 0.95, 0.05];
    expected.forEach((p, j) => {
      expect(pValues[j]).toBeCloseTo(p, 12);
    });
  });
  it('BH q=0.2 → {0,1,5}; q=0.5 → {0,1,2,5}', () => {
    expect(conformalSelection({ calScores: cal, testScores: test, fdr: 0.2 }).selected).toEqual([0, 1, 5]);
    expect(conformalSelection({ calScores: cal, testScores: test, fdr: 0.5 }).selected).toEqual([0, 1, 2, 5]);
    expect(benjaminiHochberg([0.05, 0.05, 0.15, 0.5, 0.95, 0.05], 0.2)).toEqual([0, 1, 5]);
  });
});

describe('eBH: spec §8 M', () => {
  it('e=[10,0,6,30,1,0], q=0.2 → {3}', () => {
    expect(eBenjaminiHochberg([10, 0, 6, 30, 1, 0], 0.2)).toEqual([3]);
  });
  it('e = 1/p reproduces BH when p-values are "self-consistent" (hand case)', () => {
    // m=4, q=0.5: thresholds m/(qk) = 8, 4, 2.67, 2 → e=[9,5,1,1]: k=2 passes (5 ≥ 4), k=3 fails (1 < 2.67)
    expect(eBenjaminiHochberg([9, 5, 1, 1], 0.5)).toEqual([0, 1]);
  });
});

describe('bad input', () => {
  it('rejects q outside (0,1) and p-values outside [0,1]', () => {
    expect(() => benjaminiHochberg([0.1], 1)).toThrow(/q is 1/);
    expect(() => benjaminiHochberg([1.5], 0.1)).toThrow(/pValues\[0\]/);
    expect(() => eBenjaminiHochberg([-1], 0.1)).toThrow(/eValues\[0\]/);
  });
});

describe('p-values against brute-force counting (property, heavy ties)', () => {
  it('deterministic and smoothed (fixed U) agree with the definitions', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 120 }),
        fc.array(fc.integer({ min: -1, max: 4 }), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (cal, test, u) => {
          const n = cal.length;
          const det = conformalPValues(cal, test);
          const smooth = conformalPValues(cal, test, { randomized: true, u });
          test.forEach((s, j) => {
            const geq = cal.filter((v) => v >= s).length;
            const gt = cal.filter((v) => v > s).length;
            const eq = cal.filter((v) => v === s).length;
            expect(det[j]).toBeCloseTo((1 + geq) / (n + 1), 12);
            expect(smooth[j]).toBeCloseTo((gt + u * (eq + 1)) / (n + 1), 12);
          });
          const sel = conformalSelection({ calScores: cal, testScores: test, fdr: 0.1 }).pValues;
          test.forEach((s, j) => {
            const le = cal.filter((v) => v <= s).length;
            expect(sel[j]).toBeCloseTo((1 + le) / (n + 1), 12);
          });
        },
      ),
    );
  });
});

describe('KS uniformity test of p-values', () => {
  it('Kolmogorov survival at the classic 5% critical value 1.358 is ≈ 0.05', async () => {
    const { kolmogorovSurvival } = await import('../src/index.js');
    // scipy 1.17.1 stats.kstwobign.sf: 1.358 → 0.050027, 1.628 → 0.009976 (computed while writing the test).
    expect(kolmogorovSurvival(1.358)).toBeCloseTo(0.0501, 3);
    expect(kolmogorovSurvival(1.628)).toBeCloseTo(0.01, 3);
  });
  it('D by hand and a small p-value for clearly non-uniform input', async () => {
    const { pValueUniformityTest } = await import('../src/index.js');
    // sorted [0.1, 0.2, 0.9]: D = max(1/3−0.1, 0.1, 2/3−0.2, 0.2−1/3, 1−0.9, 0.9−2/3) = 0.4667
    expect(pValueUniformityTest([0.9, 0.1, 0.2]).statistic).toBeCloseTo(0.4666667, 6);
    const skewed = Array.from({ length: 200 }, (_, i) => ((i + 0.5) / 200) ** 3);
    expect(pValueUniformityTest(skewed).pValue).toBeLessThan(1e-6);
    const uniform = Array.from({ length: 200 }, (_, i) => (i + 0.5) / 200);
    expect(pValueUniformityTest(uniform).pValue).toBeGreaterThan(0.99);
  });
});

describe('BH count fast path', () => {
  it('property: bhCount = number of indices bhUnchecked rejects (core-tensor adjusted p-values), with ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0.05, 0.1, 0.2, 0.5),
        (grid, q) => {
          const p = Float64Array.from(grid, (g) => g / 40);
          expect(bhCount(p, q)).toBe(bhUnchecked(p, q).length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
