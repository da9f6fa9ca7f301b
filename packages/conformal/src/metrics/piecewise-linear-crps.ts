import type { NumericArray } from '../core/validate.js';
import { conformalError } from '../errors.js';
import { cdfShape } from './cdf-shape.js';

/** ∫ over a piece of length h of (F − c)² where F − c runs linearly from u to v: h(u² + uv + v²)/3. */
function linearSquare(h: number, u: number, v: number): number {
  return (h * (u * u + u * v + v * v)) / 3;
}

/**
 * Exact CRPS(F, y) of a piecewise-linear CDF through (knots[k], values[k]) (an interpolated predictive
 * distribution), constant `values[0]` left of the first knot and `values[last]` right of the last.
 * Repeated knots encode jumps, so step CDFs are a special case. +∞ if F has mass at ±∞
 * (values[0] > 0 or values[last] < 1).
 */
export function piecewiseLinearCrps(knots: NumericArray, values: NumericArray, y: number): number {
  const { x, p } = cdfShape(knots, values, knots.length, { points: 'knots', levels: 'values' });
  if (typeof y !== 'number' || !Number.isFinite(y))
    throw conformalError('E_INPUT', `y is ${String(y)}; pass a finite observation`);
  const n = x.length;
  if (p[0]! > 0 || p[n - 1]! < 1) return Number.POSITIVE_INFINITY;
  let total = Math.max(0, x[0]! - y) + Math.max(0, y - x[n - 1]!);
  for (let k = 1; k < n; k++) {
    const a = x[k - 1]!;
    const b = x[k]!;
    const u = p[k - 1]!;
    const v = p[k]!;
    if (b === a) continue; // a jump: zero width
    if (y >= b) total += linearSquare(b - a, u, v);
    else if (y <= a) total += linearSquare(b - a, 1 - u, 1 - v);
    else {
      const mid = u + ((v - u) * (y - a)) / (b - a);
      total += linearSquare(y - a, u, mid) + linearSquare(b - y, 1 - mid, 1 - v);
    }
  }
  return total;
}
