import { assertSameLength, type FloatArray } from './float-array.js';

/** `y += a·x` in place; returns `y`. */
export function axpy<T extends FloatArray>(y: T, a: number, x: FloatArray): T {
  assertSameLength('axpy', 'y', y, 'x', x);
  const n = y.length;
  for (let i = 0; i < n; i++) y[i] = y[i]! + a * x[i]!;
  return y;
}

/** `out = a + t·(b − a)` element-wise; `out` may alias `a` or `b`. Returns `out`. */
export function lerp<T extends FloatArray>(out: T, a: FloatArray, b: FloatArray, t: number): T {
  assertSameLength('lerp', 'a', a, 'b', b);
  assertSameLength('lerp', 'out', out, 'a', a);
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const ai = a[i]!;
    out[i] = ai + t * (b[i]! - ai);
  }
  return out;
}

/** `x *= s` in place; returns `x`. */
export function scale<T extends FloatArray>(x: T, s: number): T {
  const n = x.length;
  for (let i = 0; i < n; i++) x[i] = x[i]! * s;
  return x;
}

/** `out[i] = sign(x[i])`: −1, 0 (also for −0) or 1, NaN stays NaN. `out` may alias `x`. */
export function signInto<T extends FloatArray>(out: T, x: FloatArray): T {
  assertSameLength('signInto', 'out', out, 'x', x);
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : Number.NaN;
  }
  return out;
}

/** `out[i] = |x[i]|`. `out` may alias `x`. */
export function absInto<T extends FloatArray>(out: T, x: FloatArray): T {
  assertSameLength('absInto', 'out', out, 'x', x);
  const n = x.length;
  for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
  return out;
}

/** `x[i] = value` wherever `mask[i] ≠ 0`; returns `x`. */
export function maskedFill<T extends FloatArray>(x: T, mask: Uint8Array, value: number): T {
  assertSameLength('maskedFill', 'x', x, 'mask', mask);
  const n = x.length;
  for (let i = 0; i < n; i++) if (mask[i] !== 0) x[i] = value;
  return x;
}

/** `x[i] = 0` wherever `mask[i] = 0` (keeps the masked-in entries); returns `x`. */
export function applyMask<T extends FloatArray>(x: T, mask: Uint8Array): T {
  assertSameLength('applyMask', 'x', x, 'mask', mask);
  const n = x.length;
  for (let i = 0; i < n; i++) if (mask[i] === 0) x[i] = 0;
  return x;
}
