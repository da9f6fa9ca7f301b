import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from './keyed-random.js';

describe('KeyedRandom', () => {
  it('gives the same draw for the same key and index regardless of order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.string(),
        fc.nat(1_000_000),
        (seed, name, index) => {
          const a = createRandom(seed, name, 3);
          const forward = [a.uniform(index), a.uniform(index + 1)];
          const b = createRandom(seed, name, 3);
          const backward = [b.uniform(index + 1), b.uniform(index)];
          expect(forward).toEqual([backward[1], backward[0]]);
        },
      ),
    );
  });

  it('separates streams by key', () => {
    const a = createRandom(1, 'layer.0.weight', 0);
    const b = createRandom(1, 'layer.0.weight', 1);
    const c = createRandom(2, 'layer.0.weight', 0);
    let equalAB = 0;
    let equalAC = 0;
    for (let i = 0; i < 1000; i++) {
      if (a.uint32(i) === b.uint32(i)) equalAB++;
      if (a.uint32(i) === c.uint32(i)) equalAC++;
    }
    expect(equalAB).toBe(0);
    expect(equalAC).toBe(0);
  });

  it('is uniform: 20-bin chi-square over 200k draws below the 99.9% quantile (43.82 at 19 df)', () => {
    const random = createRandom(42, 'uniformity');
    const bins = new Array<number>(20).fill(0);
    const n = 200_000;
    let low = 1;
    let high = 0;
    for (let i = 0; i < n; i++) {
      const u = random.uniform(i);
      low = Math.min(low, u);
      high = Math.max(high, u);
      bins[Math.floor(u * 20)]!++;
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    const expected = n / 20;
    const chi2 = bins.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.82);
  });

  it('draws standard normals: mean within 4 standard errors of 0, variance within 4 SE of 1', () => {
    const random = createRandom(7, 'normal');
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const z = random.normal(i);
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('Bernoulli keep-rate matches p within 4 standard errors', () => {
    const mask = new Uint8Array(100_000);
    createRandom(3, 'mask').fillBernoulli(mask, 0.3);
    const rate = mask.reduce((s, v) => s + v, 0) / mask.length;
    expect(Math.abs(rate - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / mask.length));
  });

  it('draws normals from a stream independent of the uniforms on the same key', () => {
    // If normal(i) reused uniform(2i) (its Box-Muller radius), E[z²·(u − ½)] would be 1/4;
    // independent streams give 0 with sd √(E[z⁴]·(1/12) / n) = √(1/4n).
    const random = createRandom(9, 'overlap');
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += random.normal(i) ** 2 * (random.uniform(2 * i) - 0.5);
    expect(Math.abs(sum / n)).toBeLessThan(4 * Math.sqrt(1 / (4 * n)));
  });

  it('permutation is a permutation, reproducible, and uniform over the 6 orders of 3 items', () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(1000), (n, seed) => {
        const order = createRandom(seed, 'perm').permutation(n);
        expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(createRandom(seed, 'perm').permutation(n)).toEqual(order);
      }),
      { numRuns: 50 },
    );
    const counts = new Map<string, number>();
    const draws = 6000;
    for (let s = 0; s < draws; s++) {
      const key = createRandom(s, 'perm3').permutation(3).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // Each order has probability 1/6: 1000 expected, sd ≈ 28.9; allow 5 sd.
    for (const count of counts.values()) expect(Math.abs(count - draws / 6)).toBeLessThan(5 * 28.9);
  });

  it('handles indices beyond 2^32', () => {
    const random = createRandom(1);
    expect(random.uint32(2 ** 32)).not.toBe(random.uint32(0));
  });
});
