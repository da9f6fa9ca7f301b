import { peftError } from '../errors.js';

/**
 * LU with partial (row) pivoting in float64 of a row-major `[rows, cols]` matrix:
 * `A = P·L·U` with L `[rows, k]` unit lower-trapezoidal, U `[k, cols]` upper, k = min(rows, cols),
 * and `perm[i]` the original row that ends up at row i (so `A[perm[i]] = (L·U)[i]`).
 */
export function luDecompose(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
): { l: Float64Array; u: Float64Array; perm: Int32Array; k: number } {
  const a = Float64Array.from(data as ArrayLike<number>);
  const perm = Int32Array.from({ length: rows }, (_, i) => i);
  const k = Math.min(rows, cols);
  for (let j = 0; j < k; j++) {
    let pivot = j;
    for (let i = j + 1; i < rows; i++)
      if (Math.abs(a[i * cols + j]!) > Math.abs(a[pivot * cols + j]!)) pivot = i;
    if (pivot !== j) {
      for (let c = 0; c < cols; c++) {
        const t = a[j * cols + c]!;
        a[j * cols + c] = a[pivot * cols + c]!;
        a[pivot * cols + c] = t;
      }
      const t = perm[j]!;
      perm[j] = perm[pivot]!;
      perm[pivot] = t;
    }
    const diagonal = a[j * cols + j]!;
    if (diagonal === 0) continue;
    for (let i = j + 1; i < rows; i++) {
      const factor = a[i * cols + j]! / diagonal;
      a[i * cols + j] = factor;
      for (let c = j + 1; c < cols; c++) a[i * cols + c]! -= factor * a[j * cols + c]!;
    }
  }
  const l = new Float64Array(rows * k);
  const u = new Float64Array(k * cols);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < k; c++) {
      if (c < i) l[i * k + c] = a[i * cols + c]!;
      else if (c === i) l[i * k + c] = 1;
    }
  }
  for (let r = 0; r < k; r++) for (let c = r; c < cols; c++) u[r * cols + c] = a[r * cols + c]!;
  if (!Number.isFinite(u[0] ?? 0))
    throw peftError('E_NUMERIC', 'LU decomposition produced non-finite values; is the weight finite?');
  return { l, u, perm, k };
}
