import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochbergAdjusted } from './benjamini-hochberg.js';

describe('benjaminiHochbergAdjusted', () => {
  it('worked by hand: p = [0.01, 0.04, 0.03, 0.005]', () => {
    // Sorted 0.005, 0.01, 0.03, 0.04 → m·p/k = 0.02, 0.02, 0.04, 0.04; running minimum from the top.
    const bh = benjaminiHochbergAdjusted([0.01, 0.04, 0.03, 0.005]);
    const expected = [0.02, 0.04, 0.04, 0.02];
    for (const [i, v] of expected.entries()) expect(bh[i]).toBeCloseTo(v, 15);
    // Benjamini–Yekutieli multiplies by 1 + 1/2 + 1/3 + 1/4 = 25/12.
    const by = benjaminiHochbergAdjusted([0.01, 0.04, 0.03, 0.005], { dependence: 'arbitrary' });
    for (const [i, v] of expected.entries()) expect(by[i]).toBeCloseTo((v * 25) / 12, 15);
  });
  it('caps at 1 and accepts an empty list', () => {
    expect(Array.from(benjaminiHochbergAdjusted([0.9, 0.8]))).toEqual([0.9, 0.9]);
    expect(benjaminiHochbergAdjusted([0.9], { dependence: 'arbitrary' })[0]).toBe(0.9);
    expect(benjaminiHochbergAdjusted([]).length).toBe(0);
    expect(benjaminiHochbergAdjusted([1, 1, 1])[0]).toBe(1);
  });
  it('property: {adjusted ≤ q} is the BH step-up set max{k : p_(k) ≤ qk/m}', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (ps, q) => {
          const m = ps.length;
          const sorted = ps.slice().sort((a, b) => a - b);
          let kHat = 0;
          for (let k = m; k >= 1; k--) {
            if (sorted[k - 1]! <= (q * k) / m) {
              kHat = k;
              break;
            }
          }
          const adjusted = benjaminiHochbergAdjusted(ps);
          for (let i = 0; i < m; i++) {
            // Skip values within rounding of the threshold, where the two forms may differ in the last bit.
            if (Math.abs(adjusted[i]! - q) < 1e-12) continue;
            const stepUp = kHat > 0 && ps[i]! <= sorted[kHat - 1]!;
            expect(adjusted[i]! <= q).toBe(stepUp);
            expect(adjusted[i]!).toBeGreaterThanOrEqual(ps[i]! * (1 - 1e-15));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
  it('property: equals min over k ≥ rank of m·p_(k)/k, also with many ties', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 30 }), (grid) => {
        const ps = grid.map((g) => g / 10);
        const m = ps.length;
        const sorted = ps.slice().sort((a, b) => a - b);
        const adjusted = benjaminiHochbergAdjusted(ps);
        for (let i = 0; i < m; i++) {
          // Any rank of p_i among the sorted values (the first occurrence here) gives the same minimum.
          const rank = sorted.indexOf(ps[i]!);
          let best = Number.POSITIVE_INFINITY;
          for (let k = rank; k < m; k++) best = Math.min(best, (sorted[k]! * m) / (k + 1));
          expect(adjusted[i]).toBeCloseTo(Math.min(1, best), 14);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('rejects values outside [0, 1], naming the index', () => {
    expect(() => benjaminiHochbergAdjusted([0.1, Number.NaN])).toThrow(/pValues\[1\]/);
    expect(() => benjaminiHochbergAdjusted([-0.1])).toThrow(/pValues\[0\]/);
  });
});
