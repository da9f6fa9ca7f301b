import { type DenseMatrix, linalgError } from './dense-matrix.js';
import { rhsAsMatrix } from './right-hand-side.js';

/**
 * The `x` minimising ‖a·x − b‖₂ by Householder QR (a is m×n with m ≥ n and full column rank).
 * `b` is a vector (length m) or a matrix (m×k); the result is a vector (length n) or n×k.
 * E_SHAPE_MISMATCH when m < n; E_NUMERIC when `a` is rank deficient to working precision.
 */
export function leastSquares(a: DenseMatrix, b: Float64Array): Float64Array;
export function leastSquares(a: DenseMatrix, b: DenseMatrix): DenseMatrix;
export function leastSquares(a: DenseMatrix, b: DenseMatrix | Float64Array): DenseMatrix | Float64Array;
export function leastSquares(a: DenseMatrix, b: DenseMatrix | Float64Array): DenseMatrix | Float64Array {
  const m = a.rows;
  const n = a.cols;
  if (m < n) {
    throw linalgError(
      'E_SHAPE_MISMATCH',
      `leastSquares: a is ${m}×${n}; QR least squares needs at least as many rows as columns`,
    );
  }
  const rhs = rhsAsMatrix('leastSquares', m, b);
  const k = rhs.cols;
  const Y = rhs.data;
  const R = new Float64Array(a.data);
  const rDiag = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // Householder vector for column c, stored in R[c.., c] (as in JAMA's QR).
    // ‖column‖ scaled by its largest entry: no overflow, and cheaper than hypot per element.
    let scale = 0;
    for (let i = c; i < m; i++) scale = Math.max(scale, Math.abs(R[i * n + c]!));
    let norm = 0;
    if (scale > 0) {
      for (let i = c; i < m; i++) {
        const v = R[i * n + c]! / scale;
        norm += v * v;
      }
      norm = scale * Math.sqrt(norm);
    }
    if (norm !== 0) {
      if (R[c * n + c]! < 0) norm = -norm;
      for (let i = c; i < m; i++) R[i * n + c] = R[i * n + c]! / norm;
      R[c * n + c] = R[c * n + c]! + 1;
      const vc = R[c * n + c]!;
      for (let j = c + 1; j < n; j++) {
        let s = 0;
        for (let i = c; i < m; i++) s += R[i * n + c]! * R[i * n + j]!;
        s = -s / vc;
        for (let i = c; i < m; i++) R[i * n + j] = R[i * n + j]! + s * R[i * n + c]!;
      }
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let i = c; i < m; i++) s += R[i * n + c]! * Y[i * k + j]!;
        s = -s / vc;
        for (let i = c; i < m; i++) Y[i * k + j] = Y[i * k + j]! + s * R[i * n + c]!;
      }
    }
    rDiag[c] = -norm;
  }
  let maxDiag = 0;
  for (let c = 0; c < n; c++) maxDiag = Math.max(maxDiag, Math.abs(rDiag[c]!));
  const tolerance = Math.max(m, n) * Number.EPSILON * maxDiag;
  for (let c = 0; c < n; c++) {
    if (!(Math.abs(rDiag[c]!) > tolerance)) {
      throw linalgError(
        'E_NUMERIC',
        `leastSquares: a (${m}×${n}) is rank deficient (column ${c} is a combination of earlier columns); drop or regularise collinear columns`,
      );
    }
  }
  const X = new Float64Array(n * k);
  for (let c = n - 1; c >= 0; c--) {
    for (let j = 0; j < k; j++) {
      let s = Y[c * k + j]!;
      for (let p = c + 1; p < n; p++) s -= R[c * n + p]! * X[p * k + j]!;
      X[c * k + j] = s / rDiag[c]!;
    }
  }
  return b instanceof Float64Array ? X : { rows: n, cols: k, data: X };
}
