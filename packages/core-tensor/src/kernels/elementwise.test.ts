import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelsmithError } from '../errors/modelsmith-error.js';
import { absInto, applyMask, axpy, lerp, maskedFill, scale, signInto } from './elementwise.js';

const f64s = (length: number) =>
  fc.float64Array({
    minLength: length,
    maxLength: length,
    noNaN: true,
    noDefaultInfinity: true,
    min: -1e6,
    max: 1e6,
  });

describe('element-wise kernels', () => {
  it('axpy adds a·x in place (hand-worked)', () => {
    const y = new Float64Array([1, 2, 3]);
    expect(axpy(y, 2, new Float64Array([10, -1, 0.5]))).toBe(y);
    expect(Array.from(y)).toEqual([21, 0, 4]);
  });

  it('axpy on Float32Array rounds once per element', () => {
    const y = new Float32Array([0.1]);
    axpy(y, 3, new Float32Array([0.2]));
    expect(y[0]).toBe(Math.fround(Math.fround(0.1) + 3 * Math.fround(0.2)));
  });

  it('lerp is a at t=0, b at t=1, the midpoint at 0.5, and may alias its output', () => {
    const a = new Float64Array([0, 2, -4]);
    const b = new Float64Array([10, 4, 4]);
    expect(Array.from(lerp(new Float64Array(3), a, b, 0))).toEqual([0, 2, -4]);
    expect(Array.from(lerp(new Float64Array(3), a, b, 1))).toEqual([10, 4, 4]);
    expect(Array.from(lerp(a, a, b, 0.5))).toEqual([5, 3, 0]);
  });

  it('lerp(t) = a + t(b - a) for random inputs', () => {
    fc.assert(
      fc.property(f64s(8), f64s(8), fc.double({ min: -2, max: 2, noNaN: true }), (a, b, t) => {
        const out = lerp(new Float64Array(8), a, b, t);
        for (let i = 0; i < 8; i++) expect(out[i]).toBe(a[i]! + t * (b[i]! - a[i]!));
      }),
    );
  });

  it('scale multiplies in place', () => {
    expect(Array.from(scale(new Float32Array([1, -2, 0.5]), -4))).toEqual([-4, 8, -2]);
  });

  it('signInto maps to -1/0/1 and keeps NaN; absInto drops the sign', () => {
    const x = new Float64Array([-3, -0, 0, 2, Number.NaN, Number.NEGATIVE_INFINITY]);
    const sign = signInto(new Float64Array(6), x);
    expect(Array.from(sign)).toEqual([-1, 0, 0, 1, Number.NaN, -1]);
    expect(Object.is(sign[1], 0)).toBe(true);
    expect(Array.from(absInto(new Float64Array(6), x))).toEqual([
      3,
      0,
      0,
      2,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]);
  });

  it('sign(x)·|x| = x', () => {
    fc.assert(
      fc.property(f64s(16), (x) => {
        const s = signInto(new Float64Array(16), x);
        const a = absInto(new Float64Array(16), x);
        for (let i = 0; i < 16; i++) expect(s[i]! * a[i]!).toBe(x[i]! === 0 ? 0 : x[i]);
      }),
    );
  });

  it('maskedFill sets where mask=1, applyMask zeroes where mask=0', () => {
    const mask = new Uint8Array([1, 0, 1, 0]);
    expect(Array.from(maskedFill(new Float64Array([1, 2, 3, 4]), mask, 9))).toEqual([9, 2, 9, 4]);
    expect(Array.from(applyMask(new Float32Array([1, 2, 3, 4]), mask))).toEqual([1, 0, 3, 0]);
  });

  it('rejects length mismatches with E_SHAPE_MISMATCH naming both arrays', () => {
    expect(() => axpy(new Float64Array(2), 1, new Float64Array(3))).toThrowError(
      /y has length 2 but x has length 3/,
    );
    try {
      applyMask(new Float64Array(2), new Uint8Array(1));
      expect.unreachable();
    } catch (error) {
      expect(ModelsmithError.isInstance(error) && error.code).toBe('E_SHAPE_MISMATCH');
    }
  });
});
