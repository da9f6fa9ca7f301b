import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topKMagnitudeMask } from './top-k-magnitude-mask.js';

/** NaN ranks below every magnitude, as documented. */
const rank = (v: number) => (Number.isNaN(v) ? -1 : Math.abs(v));

describe('topKMagnitudeMask', () => {
  it('keeps the k largest magnitudes (hand-worked)', () => {
    expect(Array.from(topKMagnitudeMask(new Float32Array([1, -3, 2, 0.5, -2.5]), 2))).toEqual([
      0, 1, 0, 0, 1,
    ]);
  });

  it('breaks ties at the threshold lowest index first', () => {
    expect(Array.from(topKMagnitudeMask(new Float64Array([1, -2, 2, 5, -2, 2]), 3))).toEqual([
      0, 1, 1, 1, 0, 0,
    ]);
    expect(Array.from(topKMagnitudeMask(new Float64Array([7, 7, 7, 7]), 2))).toEqual([1, 1, 0, 0]);
  });

  it('k = 0 gives all zeros, k ≥ n all ones', () => {
    const x = new Float64Array([1, 2, 3]);
    expect(Array.from(topKMagnitudeMask(x, 0))).toEqual([0, 0, 0]);
    expect(Array.from(topKMagnitudeMask(x, 3))).toEqual([1, 1, 1]);
    expect(Array.from(topKMagnitudeMask(x, 10))).toEqual([1, 1, 1]);
    expect(topKMagnitudeMask(new Float64Array(0), 2).length).toBe(0);
  });

  it('ranks NaN below everything, even 0, and keeps NaNs lowest index first when k needs them', () => {
    const x = new Float64Array([Number.NaN, 0, Number.NaN, -1, Number.NaN]);
    expect(Array.from(topKMagnitudeMask(x, 2))).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(topKMagnitudeMask(x, 3))).toEqual([1, 1, 0, 1, 0]);
    expect(
      Array.from(topKMagnitudeMask(new Float64Array([Number.NaN, Number.POSITIVE_INFINITY]), 1)),
    ).toEqual([0, 1]);
  });

  it('rejects a negative or fractional k', () => {
    expect(() => topKMagnitudeMask(new Float64Array(3), -1)).toThrowError(/non-negative integer/);
    expect(() => topKMagnitudeMask(new Float64Array(3), 1.5)).toThrowError(/non-negative integer/);
  });

  it('property: exactly min(k, n) kept, every kept |x| ≥ every dropped |x|, ties kept lowest index first', () => {
    // Small integer range so ties are frequent; NaN mixed in.
    const value = fc.oneof(
      { weight: 10, arbitrary: fc.integer({ min: -6, max: 6 }).map((v) => v / 2) },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), fc.nat(220), fc.boolean(), (values, k, single) => {
        const x = single ? Float32Array.from(values) : Float64Array.from(values);
        const mask = topKMagnitudeMask(x, k);
        let kept = 0;
        let minKept = Number.POSITIVE_INFINITY;
        let maxDropped = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < x.length; i++) {
          if (mask[i]) {
            kept++;
            minKept = Math.min(minKept, rank(x[i]!));
          } else maxDropped = Math.max(maxDropped, rank(x[i]!));
        }
        expect(kept).toBe(Math.min(k, x.length));
        expect(minKept).toBeGreaterThanOrEqual(maxDropped);
        // Among entries at the threshold, no dropped one precedes a kept one.
        let seenDroppedTie = false;
        for (let i = 0; i < x.length; i++) {
          if (rank(x[i]!) !== minKept || minKept !== maxDropped) continue;
          if (!mask[i]) seenDroppedTie = true;
          else expect(seenDroppedTie).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with a sort-based reference on large random float32 data', () => {
    const n = 100_003;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.sin(i * 12.9898) * 43758.5453;
    const k = 1234;
    const mask = topKMagnitudeMask(x, k);
    const order = Array.from(x.keys()).sort((a, b) => Math.abs(x[b]!) - Math.abs(x[a]!) || a - b);
    const expected = new Uint8Array(n);
    for (const i of order.slice(0, k)) expected[i] = 1;
    expect(mask).toEqual(expected);
  });
});
