import { createErrorFactory } from '../errors/modelsmith-error.js';

/** A dense float64 matrix in row-major order: entry (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export const linalgError = createErrorFactory('core-tensor');

/**
 * A `rows × cols` matrix. A `Float64Array` is used as is (not copied); any other array-like is
 * copied; without `data` the matrix is zero.
 */
export function createMatrix(
  rows: number,
  cols: number,
  data?: Float64Array | ArrayLike<number>,
): DenseMatrix {
  if (!Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(cols) || cols < 0) {
    throw linalgError(
      'E_SHAPE_MISMATCH',
      `createMatrix: rows and cols must be non-negative integers, got ${rows}×${cols}`,
    );
  }
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data.length !== rows * cols) {
    throw linalgError(
      'E_SHAPE_MISMATCH',
      `createMatrix: data has length ${data.length} but a ${rows}×${cols} matrix needs ${rows * cols}`,
    );
  }
  return { rows, cols, data: data instanceof Float64Array ? data : Float64Array.from(data) };
}

/** The `n × n` identity. */
export function identity(n: number): DenseMatrix {
  const m = createMatrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A new matrix `aᵀ`. */
export function transpose(a: DenseMatrix): DenseMatrix {
  const { rows, cols, data } = a;
  const out = new Float64Array(rows * cols);
  // Blocked so both sides stay in cache for large matrices.
  const block = 32;
  for (let i0 = 0; i0 < rows; i0 += block) {
    const iEnd = Math.min(rows, i0 + block);
    for (let j0 = 0; j0 < cols; j0 += block) {
      const jEnd = Math.min(cols, j0 + block);
      for (let i = i0; i < iEnd; i++) {
        for (let j = j0; j < jEnd; j++) out[j * rows + i] = data[i * cols + j]!;
      }
    }
  }
  return { rows: cols, cols: rows, data: out };
}

/** Throws E_SHAPE_MISMATCH unless `a` is square. */
export function assertSquare(operation: string, a: DenseMatrix): void {
  if (a.rows !== a.cols) {
    throw linalgError('E_SHAPE_MISMATCH', `${operation}: the matrix must be square, got ${a.rows}×${a.cols}`);
  }
}
