import { assertSquare, type DenseMatrix, linalgError } from './dense-matrix.js';
import { rhsAsMatrix } from './right-hand-side.js';

/**
 * Solves `a·x = b` for symmetric positive-definite `a` by Cholesky factorisation `a = L·Lᵀ`
 * (only the lower triangle of `a` is read). `b` is a vector or a matrix of right-hand sides;
 * the result has the same form. E_NUMERIC when `a` is not positive definite.
 */
export function choleskySolve(a: DenseMatrix, b: Float64Array): Float64Array;
export function choleskySolve(a: DenseMatrix, b: DenseMatrix): DenseMatrix;
export function choleskySolve(a: DenseMatrix, b: DenseMatrix | Float64Array): DenseMatrix | Float64Array;
export function choleskySolve(a: DenseMatrix, b: DenseMatrix | Float64Array): DenseMatrix | Float64Array {
  assertSquare('choleskySolve', a);
  const n = a.rows;
  const x = rhsAsMatrix('choleskySolve', n, b);
  const A = a.data;
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const lj = j * n;
    let d = A[lj + j]!;
    for (let k = 0; k < j; k++) d -= L[lj + k]! * L[lj + k]!;
    if (!(d > 0)) {
      throw linalgError(
        'E_NUMERIC',
        `choleskySolve: the ${n}×${n} matrix is not positive definite (pivot ${d} at row ${j}); add a small multiple of the identity or use leastSquares`,
      );
    }
    const ljj = Math.sqrt(d);
    L[lj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let s = A[li + j]!;
      for (let k = 0; k < j; k++) s -= L[li + k]! * L[lj + k]!;
      L[li + j] = s / ljj;
    }
  }
  const k = x.cols;
  const X = x.data;
  // Forward substitution L·y = b, then back substitution Lᵀ·x = y, all columns at once.
  for (let i = 0; i < n; i++) {
    const li = i * n;
    for (let p = 0; p < i; p++) {
      const l = L[li + p]!;
      if (l === 0) continue;
      for (let c = 0; c < k; c++) X[i * k + c] = X[i * k + c]! - l * X[p * k + c]!;
    }
    const d = L[li + i]!;
    for (let c = 0; c < k; c++) X[i * k + c] = X[i * k + c]! / d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let p = i + 1; p < n; p++) {
      const l = L[p * n + i]!;
      if (l === 0) continue;
      for (let c = 0; c < k; c++) X[i * k + c] = X[i * k + c]! - l * X[p * k + c]!;
    }
    const d = L[i * n + i]!;
    for (let c = 0; c < k; c++) X[i * k + c] = X[i * k + c]! / d;
  }
  return b instanceof Float64Array ? X : x;
}
