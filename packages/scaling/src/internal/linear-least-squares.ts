import { scalingError } from '../errors.js';

/**
 * Solves min ‖Xβ − y‖² + ridge·‖β_{1..}‖² by the normal equations and Gaussian elimination with partial
 * pivoting. X is row-major n×p; column 0 is not penalised when `interceptFirst` (default). Small p only.
 * A candidate for core-tensor's linear-algebra module.
 */
export function linearLeastSquares(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  p: number,
  ridge = 0,
  interceptFirst = true,
): Float64Array {
  const n = y.length;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const xij = x[i * p + j]!;
      b[j] = b[j]! + xij * y[i]!;
      for (let k = j; k < p; k++) a[j * p + k] = a[j * p + k]! + xij * x[i * p + k]!;
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) a[j * p + k] = a[k * p + j]!;
    if (!(interceptFirst && j === 0)) a[j * p + j] = a[j * p + j]! + ridge;
  }
  return solveLinear(a, b, p);
}

/** Solves A·x = b (A row-major p×p, both copied). */
export function solveLinear(matrix: ArrayLike<number>, rhs: ArrayLike<number>, p: number): Float64Array {
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(rhs);
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]!));
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++)
      if (Math.abs(a[r * p + col]!) > Math.abs(a[pivot * p + col]!)) pivot = r;
    if (Math.abs(a[pivot * p + col]!) <= 1e-13 * scale) {
      throw scalingError(
        'E_NUMERIC',
        'the regression is singular (collinear or constant features); add more varied points or a ridge penalty',
      );
    }
    if (pivot !== col) {
      for (let k = 0; k < p; k++) {
        const t = a[col * p + k]!;
        a[col * p + k] = a[pivot * p + k]!;
        a[pivot * p + k] = t;
      }
      const t = b[col]!;
      b[col] = b[pivot]!;
      b[pivot] = t;
    }
    for (let r = col + 1; r < p; r++) {
      const factor = a[r * p + col]! / a[col * p + col]!;
      if (factor === 0) continue;
      for (let k = col; k < p; k++) a[r * p + k] = a[r * p + k]! - factor * a[col * p + k]!;
      b[r] = b[r]! - factor * b[col]!;
    }
  }
  const out = new Float64Array(p);
  for (let r = p - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < p; k++) s -= a[r * p + k]! * out[k]!;
    out[r] = s / a[r * p + r]!;
  }
  return out;
}
