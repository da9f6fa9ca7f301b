import type { NumericArray } from '../core/validate.js';
import { conformalError } from '../errors.js';
import { cdfShape } from './cdf-shape.js';

/**
 * Exact CRPS(F, y) = ∫ (F(t) − 1[t ≥ y])² dt of a right-continuous step CDF: `levels[0]` on (−∞, x₀),
 * `levels[k]` on [x_{k−1}, x_k), `levels[n]` on [x_{n−1}, ∞) (so `levels` has one more entry than
 * `points`). Each constant piece [a, b) with level L adds L²·|[a,b) ∩ (−∞,y)| + (1−L)²·|[a,b) ∩ [y,∞)|.
 * If F puts mass at ±∞ (levels[0] > 0 or levels[n] < 1) the integral diverges and the result is +∞.
 */
export function stepCdfCrps(points: NumericArray, levels: NumericArray, y: number): number {
  const { x, p } = cdfShape(points, levels, points.length + 1, { points: 'points', levels: 'levels' });
  if (typeof y !== 'number' || !Number.isFinite(y))
    throw conformalError('E_INPUT', `y is ${String(y)}; pass a finite observation`);
  const n = x.length;
  if (p[0]! > 0 || p[n]! < 1) return Number.POSITIVE_INFINITY;
  // Tails: F = 0 below x₀ (cost 1 where t ≥ y), F = 1 above x_{n−1} (cost 1 where t < y).
  let total = Math.max(0, x[0]! - y) + Math.max(0, y - x[n - 1]!);
  for (let k = 1; k < n; k++) {
    const a = x[k - 1]!;
    const b = x[k]!;
    const level = p[k]!;
    const below = Math.min(b, Math.max(a, y)) - a; // length of [a, b) left of y
    total += level * level * below + (1 - level) * (1 - level) * (b - a - below);
  }
  return total;
}
