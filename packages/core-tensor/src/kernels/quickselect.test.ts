import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickselect } from './quickselect.js';

describe('quickselect', () => {
  it('returns sorted[k] (0-based) without touching the input', () => {
    const x = new Float64Array([5, 1, 4, 1, 3]);
    expect([0, 1, 2, 3, 4].map((k) => quickselect(x, k))).toEqual([1, 1, 3, 4, 5]);
    expect(Array.from(x)).toEqual([5, 1, 4, 1, 3]);
  });

  it('sorts NaN last like numpy.partition', () => {
    const x = new Float32Array([Number.NaN, 2, 1]);
    expect(quickselect(x, 0)).toBe(1);
    expect(quickselect(x, 1)).toBe(2);
    expect(quickselect(x, 2)).toBeNaN();
  });

  it('rejects k outside [0, n)', () => {
    expect(() => quickselect(new Float64Array(3), 3)).toThrowError(/k must be an integer in \[0, 2\]/);
    expect(() => quickselect(new Float64Array(0), 0)).toThrowError();
  });

  it('property: equals the sort-based reference, including many duplicates and large n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true })), {
          minLength: 1,
          maxLength: 3000,
        }),
        fc.nat(),
        (values, seed) => {
          const x = Float64Array.from(values);
          const sorted = Float64Array.from(values).sort();
          const k = seed % x.length;
          // + 0 maps −0 to 0: both are valid k-th smallest values when the two compare equal.
          expect(quickselect(x, k) + 0).toBe(sorted[k]! + 0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
