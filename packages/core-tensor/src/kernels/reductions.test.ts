import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dot, l1Norm, l2Norm } from './reductions.js';

describe('reductions', () => {
  it('dot, l1 and l2 on a hand-worked vector', () => {
    const x = new Float64Array([3, -4, 0]);
    expect(dot(x, new Float64Array([1, 2, 5]))).toBe(-5);
    expect(l1Norm(x)).toBe(7);
    expect(l2Norm(x)).toBe(5);
    expect(l2Norm(new Float64Array(0))).toBe(0);
  });

  it('l2 does not overflow: ‖[3e200, 4e200]‖ = 5e200 and ‖[1e308, 1e308]‖ = √2·1e308', () => {
    expect(l2Norm(new Float64Array([3e200, 4e200]))).toBeCloseTo(5e200, -186);
    expect(l2Norm(new Float64Array([1e308, 1e308])) / 1e308).toBeCloseTo(Math.SQRT2, 14);
  });

  it('l2 does not underflow: ‖[3e-200, 4e-200]‖ = 5e-200', () => {
    expect(l2Norm(new Float64Array([3e-200, 4e-200])) / 5e-200).toBeCloseTo(1, 14);
    expect(l2Norm(new Float64Array([5e-324]))).toBe(5e-324);
  });

  it('l2 propagates NaN and Infinity', () => {
    expect(l2Norm(new Float64Array([1, Number.NaN]))).toBeNaN();
    expect(l2Norm(new Float64Array([1, Number.NEGATIVE_INFINITY]))).toBe(Number.POSITIVE_INFINITY);
  });

  it('float32 inputs accumulate in float64: ‖x‖² of 10^5 ones is exact', () => {
    const ones = new Float32Array(100_000).fill(1);
    expect(l2Norm(ones) ** 2).toBeCloseTo(100_000, 8);
    expect(dot(ones, ones)).toBe(100_000);
  });

  it('l2² = dot(x, x) and the triangle inequality hold', () => {
    const vec = fc.float64Array({
      minLength: 5,
      maxLength: 5,
      noNaN: true,
      noDefaultInfinity: true,
      min: -1e3,
      max: 1e3,
    });
    fc.assert(
      fc.property(vec, vec, (x, y) => {
        expect(l2Norm(x) ** 2).toBeCloseTo(dot(x, x), 6);
        const sum = x.map((v, i) => v + y[i]!);
        expect(l2Norm(sum)).toBeLessThanOrEqual(l2Norm(x) + l2Norm(y) + 1e-9);
        expect(l1Norm(sum)).toBeLessThanOrEqual(l1Norm(x) + l1Norm(y) + 1e-9);
        expect(Math.abs(dot(x, y))).toBeLessThanOrEqual(l2Norm(x) * l2Norm(y) + 1e-6);
      }),
    );
  });
});
