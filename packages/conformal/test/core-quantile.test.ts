import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conformalRank,
  lowerConformalRank,
  lowerQuantile,
  mondrianQuantiles,
  splitQuantile,
  splitQuantiles,
  weightedQuantile,
} from '../src/index.js';

// Reference numbers: spec `conformal.md` §8 A–D and K (checked there against numpy/scipy).
const S = [0.3, 1.2, 0.7, 2.5, 0.1, 1.9, 0.9, 3.1, 0.5, 1.4];

describe('split quantile: spec §8 A (order statistic rule)', () => {
  it.each([
    [0.1, 10, 3.1],
    [0.2, 9, 2.5],
    [0.5, 6, 1.2],
    [0.05, 11, Number.POSITIVE_INFINITY],
  ])('alpha=%s → k=%s, q=%s', (alpha, k, q) => {
    const result = splitQuantile(S, alpha);
    expect(result.k).toBe(k);
    expect(result.q).toBe(q);
    expect(result.n).toBe(10);
  });

  it('several alphas at once agree with one at a time', () => {
    const many = splitQuantiles(S, [0.1, 0.2, 0.5, 0.05]);
    expect(many.map((r) => r.q)).toEqual([3.1, 2.5, 1.2, Number.POSITIVE_INFINITY]);
  });
});

describe('spec §8 B: n=19, scores 1..19, alpha=0.1', () => {
  it('gives k=18, q=18 (not numpy "higher" at (n+1)(1-α)/n, which gives 19)', () => {
    const scores = Array.from({ length: 19 }, (_, i) => 19 - i);
    const result = splitQuantile(scores, 0.1);
    expect(result.k).toBe(18);
    expect(result.q).toBe(18);
  });
});

describe('spec §8 C: float snapping', () => {
  it('n=24, alpha=0.44 → k=14 (naive ceil(25*0.56) gives 15)', () => {
    expect(Math.ceil(25 * (1 - 0.44))).toBe(15); // the pitfall exists in doubles
    expect(conformalRank(24, 0.44)).toBe(14);
  });
  it('n=19, alpha=0.95 → k=1', () => {
    expect(Math.ceil(20 * (1 - 0.95))).toBe(2);
    expect(conformalRank(19, 0.95)).toBe(1);
  });
  it('n=49, alpha=0.58 → k=21', () => {
    expect(conformalRank(49, 0.58)).toBe(21);
  });
  it('agrees with integer arithmetic for every alpha on the 0.001 grid (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 999 }), (n, a) => {
        const alpha = a / 1000;
        // ⌈(n+1)(1000−a)/1000⌉ and ⌊(n+1)a/1000⌋ in exact integers
        const upper = Math.floor(((n + 1) * (1000 - a) + 999) / 1000);
        const lower = Math.floor(((n + 1) * a) / 1000);
        expect(conformalRank(n, alpha)).toBe(upper);
        expect(lowerConformalRank(n, alpha)).toBe(lower);
      }),
      { numRuns: 3000 },
    );
  });
  it('snaps rounded repeating fractions: alpha=1/3 with n=2 gives k=2', () => {
    expect(conformalRank(2, 1 / 3)).toBe(2);
    expect(conformalRank(5, 1 / 3)).toBe(4);
    expect(lowerConformalRank(2, 1 / 3)).toBe(1);
  });
});

describe('spec §8 D: exact coverage k/(n+1)', () => {
  it('n=10, α=0.1 → 10/11', () => {
    expect(splitQuantile(S, 0.1).coverage).toBeCloseTo(0.90909, 5);
  });
  it('n=19, α=0.1 → 0.9 (upper bound 0.95)', () => {
    const r = splitQuantile(
      Array.from({ length: 19 }, (_, i) => i),
      0.1,
    );
    expect(r.coverage).toBe(0.9);
    expect(r.coverage + 1 / 20).toBeCloseTo(0.95, 12);
  });
  it('n=100, α=0.1 → k=91, 91/101', () => {
    const r = splitQuantile(
      Array.from({ length: 100 }, (_, i) => i),
      0.1,
    );
    expect(r.k).toBe(91);
    expect(r.coverage).toBeCloseTo(0.90099, 5);
  });
});

describe('order statistic against a full sort (property)', () => {
  it('q is the k-th smallest of the sorted scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (scores, alpha) => {
          const r = splitQuantile(scores, alpha);
          const sorted = [...scores].sort((a, b) => a - b);
          expect(r.q).toBe(r.k > scores.length ? Number.POSITIVE_INFINITY : sorted[r.k - 1]);
        },
      ),
    );
  });
  it('lower quantile: ⌊(n+1)α⌋-th smallest, −∞ at rank 0', () => {
    expect(lowerQuantile(S, 0.2)).toEqual({ k: 2, q: 0.3, n: 10 });
    expect(lowerQuantile(S, 0.05).q).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('spec §8 K: weighted quantile', () => {
  const scores = [0.5, 1, 1.5, 2, 3];
  const weights = [1, 2, 1, 0.5, 0.5];
  it.each([
    [0.4, 1.5],
    [0.2, 3.0],
    [0.1, Number.POSITIVE_INFINITY],
  ])('alpha=%s → %s', (alpha, q) => {
    expect(weightedQuantile(scores, weights, 1, alpha)).toBe(q);
  });
  it('equal weights reduce to the split quantile (property, incl. exact-mass ties)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 99 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (scores, a, w) => {
          const alpha = a / 100;
          const weighted = weightedQuantile(scores, new Array(scores.length).fill(w), w, alpha);
          // Both pick the same order statistic; which of two tied zeros (+0, -0) sorts first is
          // not part of the contract, so compare values with +0 === -0.
          expect(weighted + 0).toBe(splitQuantile(scores, alpha).q + 0);
        },
      ),
    );
  });
});

describe('Mondrian quantiles', () => {
  it('uses each group’s own n_g in the rank', () => {
    const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b'];
    const scores = [4, 1, 3, 2, 10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    const q = mondrianQuantiles(scores, groups, 0.2);
    // a: n=4, k=⌈5·0.8⌉=4 → 4; b: n=10, k=⌈11·0.8⌉=9 → 9
    expect(q.get('a')).toMatchObject({ n: 4, k: 4, q: 4 });
    expect(q.get('b')).toMatchObject({ n: 10, k: 9, q: 9 });
  });
});

describe('bad input', () => {
  it('rejects alpha outside (0,1)', () => {
    for (const alpha of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => splitQuantile(S, alpha)).toThrow(/alpha is .*strictly between 0 and 1/);
    }
  });
  it('rejects non-finite scores, naming the index', () => {
    expect(() => splitQuantile([1, Number.NaN, 2], 0.1)).toThrow(/scores\[1\] is NaN/);
    expect(() => splitQuantile([1, 2, Number.POSITIVE_INFINITY], 0.1)).toThrow(/scores\[2\] is Infinity/);
  });
  it('rejects mismatched lengths and negative weights', () => {
    expect(() => weightedQuantile([1, 2], [1], 1, 0.1)).toThrow(
      /weights has length 1 but scores has length 2/,
    );
    expect(() => weightedQuantile([1, 2], [1, -1], 1, 0.1)).toThrow(/weights\[1\]/);
  });
});

describe('selection on large arrays with heavy ties (against a full sort)', () => {
  it('every rank of 20000 values drawn from 0..9, and of distinct values, matches the sorted array', () => {
    for (const distinct of [false, true]) {
      const values = Array.from({ length: 20000 }, (_, i) =>
        distinct ? Math.sin(i * 12.9898) * 43758.5453 : (i * 7919) % 10,
      );
      const sorted = [...values].sort((a, b) => a - b);
      for (const alpha of [0.001, 0.05, 0.1, 0.37, 0.5, 0.9, 0.999]) {
        const r = splitQuantile(values, alpha);
        expect(r.q).toBe(sorted[r.k - 1]);
      }
    }
  });
});
