import { assertSameLength, type FloatArray } from './float-array.js';

/** `Σ x[i]·y[i]`, accumulated in float64. */
export function dot(x: FloatArray, y: FloatArray): number {
  assertSameLength('dot', 'x', x, 'y', y);
  let sum = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) sum += x[i]! * y[i]!;
  return sum;
}

/** `Σ |x[i]|`, accumulated in float64. */
export function l1Norm(x: FloatArray): number {
  let sum = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) sum += Math.abs(x[i]!);
  return sum;
}

/**
 * `sqrt(Σ x[i]²)` without spurious overflow or underflow.
 *
 * The fast path squares in float64 (Float32 inputs can never overflow there). Only when that
 * sum overflows to Infinity or underflows towards the subnormal range is a second pass run that
 * divides by max |x[i]| first, as LAPACK's dnrm2 does.
 */
export function l2Norm(x: FloatArray): number {
  let sum = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    sum += v * v;
  }
  // Below 1e-280 some squares may have underflowed (or all are zero): take the scaled path.
  if (sum > 1e-280 && sum < Number.POSITIVE_INFINITY) return Math.sqrt(sum);
  if (Number.isNaN(sum)) return Number.NaN;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]!);
    if (Number.isNaN(a)) return Number.NaN;
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0) return 0;
  if (maxAbs === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  let scaled = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]! / maxAbs;
    scaled += v * v;
  }
  return maxAbs * Math.sqrt(scaled);
}
