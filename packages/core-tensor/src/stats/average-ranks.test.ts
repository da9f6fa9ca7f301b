import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRanks } from './average-ranks.js';

describe('averageRanks (scipy rankdata average)', () => {
  it('ties share their mean rank: [3.1, 1.2, 5.5, 2.2, 2.2, 9, 4.4] → [4, 1, 6, 2.5, 2.5, 7, 5]', () => {
    expect(Array.from(averageRanks([3.1, 1.2, 5.5, 2.2, 2.2, 9, 4.4]))).toEqual([4, 1, 6, 2.5, 2.5, 7, 5]);
  });
  it('property: ranks sum to n(n+1)/2 and preserve order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 30 }), (v) => {
        const r = averageRanks(v);
        const n = v.length;
        expect(r.reduce((a, b) => a + b, 0)).toBe((n * (n + 1)) / 2);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) if (v[i]! < v[j]!) expect(r[i]!).toBeLessThan(r[j]!);
      }),
      { numRuns: 200 },
    );
  });
});
