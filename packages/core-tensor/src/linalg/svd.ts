import { type DenseMatrix, linalgError, transpose } from './dense-matrix.js';
import { golubKahanSvd } from './golub-kahan-svd.js';
import { householderBasis } from './householder-basis.js';

export interface SvdResult {
  /** Left singular vectors as columns: m×m (full) or m×min(m, n) (economy), or m×rank. */
  readonly u: DenseMatrix;
  /** Singular values, descending and non-negative. */
  readonly s: Float64Array;
  /** Right singular vectors as columns: n×n (full) or n×min(m, n) (economy), or n×rank; a = u·diag(s)·vᵀ. */
  readonly v: DenseMatrix;
}

export interface SvdOptions {
  /** Return only the first min(m, n) singular vectors on each side (numpy's `full_matrices=False`). */
  readonly economy?: boolean;
}

/**
 * Singular value decomposition `a = u·diag(s)·vᵀ` (Golub–Kahan–Reinsch on flat arrays, on the
 * orientation with rows ≥ cols). Full by default like numpy; the extra columns of the larger
 * factor are an orthonormal completion.
 */
export function svd(a: DenseMatrix, options: SvdOptions = {}): SvdResult {
  assertFinite('svd', a);
  if (a.rows < a.cols) {
    const t = svd(transpose(a), options);
    return { u: t.v, s: t.s, v: t.u };
  }
  const r = a.cols;
  if (r === 0) {
    return {
      u: options.economy
        ? { rows: a.rows, cols: 0, data: new Float64Array(0) }
        : completeBasis({ rows: a.rows, cols: 0, data: new Float64Array(0) }),
      s: new Float64Array(0),
      v: { rows: 0, cols: 0, data: new Float64Array(0) },
    };
  }
  const { u, s, v } = golubKahanSvd(a);
  return { u: options.economy ? u : completeBasis(u), s, v };
}

export function assertFinite(operation: string, a: DenseMatrix): void {
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i]!)) {
      throw linalgError(
        'E_NUMERIC',
        `${operation}: entry (${Math.floor(i / a.cols)}, ${i % a.cols}) is ${a.data[i]}; the matrix must be finite`,
      );
    }
  }
}

/** Extends the orthonormal columns of `q` (m×r) to an m×m orthogonal matrix. */
function completeBasis(q: DenseMatrix): DenseMatrix {
  const m = q.rows;
  const r = q.cols;
  const extra = householderBasis(q, r, m);
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < r; k++) out[i * m + k] = q.data[i * r + k]!;
    for (let k = r; k < m; k++) out[i * m + k] = extra.data[i * (m - r) + (k - r)]!;
  }
  return { rows: m, cols: m, data: out };
}
