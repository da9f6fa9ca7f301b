// Hand-worked values: 1 − C(n−c, k)/C(n, k) with small binomials; the property test compares against the
// exact combinatorial ratio computed with BigInt (independent of the product form under test).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passAtK, passAtKInputProblem, passAtKUnchecked } from './pass-at-k.js';

function binom(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** 1 − C(n−c, k)/C(n, k) exactly as a rational, then one rounding to double. */
function exactPassAtK(n: number, c: number, k: number): number {
  const den = binom(n, k);
  const num = n - c < k ? 0n : binom(n - c, k);
  const scale = 10n ** 30n;
  return 1 - Number((num * scale) / den) / 1e30;
}

describe('passAtK (core)', () => {
  it('hand-worked values', () => {
    // 1 − C(7,5)/C(10,5) = 1 − 21/252 = 11/12
    expect(passAtK(10, 3, 5)).toBeCloseTo(11 / 12, 14);
    // 1 − C(2,2)/C(4,2) = 1 − 1/6
    expect(passAtK(4, 2, 2)).toBeCloseTo(5 / 6, 14);
    // c = 1: 1 − C(n−1,k)/C(n,k) = k/n
    expect(passAtK(5, 1, 2)).toBeCloseTo(0.4, 14);
    expect(passAtK(1000, 1, 500)).toBeCloseTo(0.5, 12);
    // no correct samples → 0; fewer than k wrong samples → 1; k = 1 → c/n
    expect(passAtK(10, 0, 5)).toBe(0);
    expect(passAtK(10, 6, 5)).toBe(1);
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 14);
  });

  it('rejects bad counts with a message naming the field', () => {
    expect(() => passAtK(5, 0, 6)).toThrow(/k=6 exceeds n=5/);
    expect(() => passAtK(5, 6, 1)).toThrow(/c must be an integer with 0 <= c <= n=5/);
    expect(() => passAtK(0, 0, 1)).toThrow(/n must be a positive integer/);
    expect(() => passAtK(5, 1, 0)).toThrow(/k must be a positive integer/);
    expect(() => passAtK(5, 1.5, 1)).toThrow(/\[@modelsmith\/core-tensor\] passAtK: c must be/);
    expect(passAtKInputProblem(5, 2, 5)).toBeUndefined();
  });

  it('property: matches the exact combinatorial ratio; monotone in k and c; within [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.nat(), fc.nat(), (n, cRaw, kRaw) => {
        const c = cRaw % (n + 1);
        const k = (kRaw % n) + 1;
        const v = passAtK(n, c, k);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        expect(Math.abs(v - exactPassAtK(n, c, k))).toBeLessThan(1e-12);
        expect(passAtKUnchecked(n, c, k)).toBe(v);
        if (k < n) expect(passAtK(n, c, k + 1)).toBeGreaterThanOrEqual(v - 1e-12);
        if (c < n) expect(passAtK(n, c + 1, k)).toBeGreaterThanOrEqual(v - 1e-12);
      }),
      { numRuns: 400 },
    );
  });
});
