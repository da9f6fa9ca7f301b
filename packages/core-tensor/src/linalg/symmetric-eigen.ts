import { assertSquare, type DenseMatrix, linalgError } from './dense-matrix.js';
import { tridiagonalQlEigen } from './tridiagonal-ql-eigen.js';

export interface SymmetricEigenResult {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors as columns: column j belongs to `values[j]` (numpy's `eigh` layout). */
  readonly vectors: DenseMatrix;
}

/**
 * Eigen-decomposition of a symmetric matrix (Householder tridiagonalisation + implicit QL). The
 * input is symmetrised as (a + aᵀ)/2 first, so tiny asymmetries from rounding do not matter;
 * E_NUMERIC when an entry is not finite.
 */
export function symmetricEigen(a: DenseMatrix): SymmetricEigenResult {
  assertSquare('symmetricEigen', a);
  const n = a.rows;
  // Symmetric, so row-major and column-major storage coincide.
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const value = 0.5 * (a.data[i * n + j]! + a.data[j * n + i]!);
      if (!Number.isFinite(value)) {
        throw linalgError(
          'E_NUMERIC',
          `symmetricEigen: entry (${i}, ${j}) is not finite; the matrix must be finite`,
        );
      }
      sym[i * n + j] = value;
    }
  }
  const { values, vectors: columnMajor } = tridiagonalQlEigen(sym, n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) vectors[i * n + j] = columnMajor[j * n + i]!;
  return { values, vectors: { rows: n, cols: n, data: vectors } };
}
