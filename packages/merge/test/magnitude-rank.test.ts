import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepTopKInPlace, kthLargest, markTopK } from '../src/kernels/magnitude-rank.js';

/** Reference: sort indices by (|x| descending, index ascending) and take the first k. */
function referenceTopK(values: number[], k: number): Set<number> {
  const order = values.map((_, i) => i).sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!) || a - b);
  return new Set(order.slice(0, k));
}

describe('radix top-k by magnitude', () => {
  it('matches a sort-based reference, including many ties and signed zeros (property)', () => {
    const value = fc.oneof(
      fc.constantFrom(0, -0, 1, -1, 0.5, -0.5),
      fc.float({ noNaN: true, min: -1e6, max: 1e6 }),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 200 }), fc.nat(), (raw, kSeed) => {
        const values = raw.map((v) => Math.fround(v));
        const k = kSeed % (values.length + 1);
        const mask = new Uint8Array(values.length);
        markTopK(Float32Array.from(values), k, mask);
        const expected = referenceTopK(values, k);
        for (let i = 0; i < values.length; i++) expect(mask[i] === 1).toBe(expected.has(i));
        const kept = Float32Array.from(values);
        keepTopKInPlace(kept, k);
        for (let i = 0; i < values.length; i++) expect(kept[i] === 0 || expected.has(i)).toBe(true);
        if (k > 0) {
          const sorted = values.map(Math.abs).sort((a, b) => b - a);
          expect(kthLargest(Float32Array.from(values.map(Math.abs)), k)).toBe(sorted[k - 1]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
