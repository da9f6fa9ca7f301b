import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUANTILE_METHODS, type QuantileMethod, quantile } from './quantile.js';

// x sorted = [1, 1, 2, 3, 4, 5, 6, 9], n = 8, h = 7q. Worked by hand from numpy's definitions
// and confirmed with numpy 2.4 `np.quantile(x, q, method=m)`.
const x = new Float64Array([3, 1, 4, 1, 5, 9, 2, 6]);
const cases: [number, Record<QuantileMethod, number>][] = [
  [0, { linear: 1, lower: 1, higher: 1, nearest: 1, midpoint: 1 }],
  [0.25, { linear: 1.75, lower: 1, higher: 2, nearest: 2, midpoint: 1.5 }], // h = 1.75
  [0.3, { linear: 2.1, lower: 2, higher: 3, nearest: 2, midpoint: 2.5 }], // h = 2.1
  [0.5, { linear: 3.5, lower: 3, higher: 4, nearest: 4, midpoint: 3.5 }], // h = 3.5, half to even → 4
  [0.9, { linear: 6.8999999999999995, lower: 6, higher: 9, nearest: 6, midpoint: 7.5 }], // h = 6.3
  [1, { linear: 9, lower: 9, higher: 9, nearest: 9, midpoint: 9 }],
];

/** Straight from the definitions on a sorted copy. */
function reference(values: Float64Array, q: number, method: QuantileMethod): number {
  const s = Float64Array.from(values).sort();
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  switch (method) {
    case 'lower':
      return s[lo]!;
    case 'higher':
      return s[hi]!;
    case 'nearest': {
      const r = h - lo === 0.5 ? (lo % 2 === 0 ? lo : hi) : Math.round(h);
      return s[r]!;
    }
    case 'midpoint':
      return (s[lo]! + s[hi]!) / 2;
    case 'linear': {
      const t = h - lo;
      const d = s[hi]! - s[lo]!;
      return t >= 0.5 ? s[hi]! - d * (1 - t) : s[lo]! + d * t;
    }
  }
}

describe('quantile', () => {
  for (const [q, expected] of cases) {
    it(`matches numpy at q = ${q}`, () => {
      for (const method of QUANTILE_METHODS) expect(quantile(x, q, method), method).toBe(expected[method]);
    });
  }

  it('nearest rounds half to even like np.around: [1..5] at q = 0.125, 0.375, 0.625 → 1, 3, 3', () => {
    const y = new Float64Array([1, 2, 3, 4, 5]); // h = 0.5, 1.5, 2.5
    expect([0.125, 0.375, 0.625].map((q) => quantile(y, q, 'nearest'))).toEqual([1, 3, 3]);
  });

  it('defaults to linear, works on float32, a single value, and returns NaN when any value is NaN', () => {
    expect(quantile(x, 0.25)).toBe(1.75);
    expect(quantile(Float32Array.from(x), 0.5)).toBe(3.5);
    expect(quantile(new Float64Array([7]), 0.3)).toBe(7);
    expect(quantile(new Float64Array([1, Number.NaN, 3]), 0.5)).toBeNaN();
  });

  it('handles infinities: an exact index returns that order statistic, interpolation towards Inf is Inf', () => {
    const y = new Float64Array([1, 2, Number.POSITIVE_INFINITY]);
    expect(quantile(y, 0.5)).toBe(2); // h = 1 exactly (numpy: NaN)
    expect(quantile(y, 0.75)).toBe(Number.POSITIVE_INFINITY); // between 2 and Inf (numpy: NaN)
    expect(quantile(new Float64Array([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]), 0.3)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(quantile(new Float64Array([1, Number.POSITIVE_INFINITY]), 0)).toBe(1); // numpy: 1.0
    expect(quantile(new Float64Array([Number.NEGATIVE_INFINITY, 1]), 1)).toBe(1); // numpy: 1.0
  });

  it('rejects empty input, q outside [0, 1] and unknown methods', () => {
    expect(() => quantile(new Float64Array(0), 0.5)).toThrowError(/empty/);
    expect(() => quantile(x, 1.5)).toThrowError(/q must be in \[0, 1\]/);
    expect(() => quantile(x, Number.NaN)).toThrowError(/q must be in \[0, 1\]/);
    expect(() => quantile(x, 0.5, 'cubic' as QuantileMethod)).toThrowError(/unknown method 'cubic'/);
  });

  it('property: equals the sort-based reference for every method', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
          minLength: 1,
          maxLength: 2000,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(...QUANTILE_METHODS),
        (values, q, method) => {
          const v = Float64Array.from(values);
          expect(quantile(v, q, method) + 0).toBe(reference(v, q, method) + 0); // −0 and 0 compare equal
        },
      ),
      { numRuns: 300 },
    );
  });
});
