import type { FloatArray } from '../kernels/float-array.js';
import { type DenseMatrix, linalgError } from './dense-matrix.js';

/**
 * `a · b` in float64. An i-k-j loop over row-major data (unrolled by four along k) so the inner
 * loop streams one row of `b` and one row of the result; see the README for how it compares with
 * ml-matrix and tfjs.
 */
export function matmul(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  if (a.cols !== b.rows) {
    throw linalgError(
      'E_SHAPE_MISMATCH',
      `matmul: a is ${a.rows}×${a.cols} and b is ${b.rows}×${b.cols}; a.cols must equal b.rows`,
    );
  }
  const m = a.rows;
  const p = a.cols;
  const n = b.cols;
  const A = a.data;
  const B = b.data;
  const C = new Float64Array(m * n);
  const p4 = p - (p % 4);
  for (let i = 0; i < m; i++) {
    const ai = i * p;
    const ci = i * n;
    let k = 0;
    for (; k < p4; k += 4) {
      const a0 = A[ai + k]!;
      const a1 = A[ai + k + 1]!;
      const a2 = A[ai + k + 2]!;
      const a3 = A[ai + k + 3]!;
      const b0 = k * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        C[ci + j] = C[ci + j]! + a0 * B[b0 + j]! + a1 * B[b1 + j]! + a2 * B[b2 + j]! + a3 * B[b3 + j]!;
      }
    }
    for (; k < p; k++) {
      const aik = A[ai + k]!;
      const bk = k * n;
      for (let j = 0; j < n; j++) C[ci + j] = C[ci + j]! + aik * B[bk + j]!;
    }
  }
  return { rows: m, cols: n, data: C };
}

/** `a · x` as a new Float64Array of length `a.rows`. */
export function matvec(a: DenseMatrix, x: FloatArray): Float64Array {
  if (a.cols !== x.length) {
    throw linalgError('E_SHAPE_MISMATCH', `matvec: a is ${a.rows}×${a.cols} but x has length ${x.length}`);
  }
  const out = new Float64Array(a.rows);
  const A = a.data;
  const n = a.cols;
  for (let i = 0; i < a.rows; i++) {
    let sum = 0;
    const ai = i * n;
    for (let j = 0; j < n; j++) sum += A[ai + j]! * x[j]!;
    out[i] = sum;
  }
  return out;
}
