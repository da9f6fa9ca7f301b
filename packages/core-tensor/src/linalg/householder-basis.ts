import type { DenseMatrix } from './dense-matrix.js';

/**
 * Columns `from..to-1` of the orthogonal factor Q (m×m) of the Householder QR `a = Q·R`
 * (a is m×r, r ≤ m). Columns 0..r-1 span the column space of `a` (an orthonormal basis even when
 * `a` is rank deficient); columns r..m-1 complete it to an orthonormal basis of ℝᵐ.
 * O(m·r·(to − from)) after an O(m·r²) factorisation.
 */
export function householderBasis(a: DenseMatrix, from: number, to: number): DenseMatrix {
  const m = a.rows;
  const r = a.cols;
  // Column-major copy; after the loop, column k holds the Householder vector v_k in rows k..m-1.
  const vc = new Float64Array(m * r);
  for (let i = 0; i < m; i++) for (let k = 0; k < r; k++) vc[k * m + i] = a.data[i * r + k]!;
  const beta = new Float64Array(r);
  for (let k = 0; k < Math.min(r, m); k++) {
    const ck = k * m;
    let norm = 0;
    for (let i = k; i < m; i++) norm += vc[ck + i]! * vc[ck + i]!;
    norm = Math.sqrt(norm);
    const alpha = vc[ck + k]! > 0 ? -norm : norm;
    vc[ck + k] = vc[ck + k]! - alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += vc[ck + i]! * vc[ck + i]!;
    beta[k] = vv === 0 ? 0 : 2 / vv;
    for (let j = k + 1; j < r; j++) {
      const cj = j * m;
      let t = 0;
      for (let i = k; i < m; i++) t += vc[ck + i]! * vc[cj + i]!;
      t *= beta[k]!;
      for (let i = k; i < m; i++) vc[cj + i] = vc[cj + i]! - t * vc[ck + i]!;
    }
  }
  const width = to - from;
  const out = new Float64Array(m * width);
  const column = new Float64Array(m);
  for (let c = from; c < to; c++) {
    // Q·e_c = H₁(H₂(…H_r·e_c)).
    column.fill(0);
    column[c] = 1;
    for (let k = Math.min(r, m) - 1; k >= 0; k--) {
      const ck = k * m;
      let t = 0;
      for (let i = k; i < m; i++) t += vc[ck + i]! * column[i]!;
      t *= beta[k]!;
      if (t === 0) continue;
      for (let i = k; i < m; i++) column[i] = column[i]! - t * vc[ck + i]!;
    }
    for (let i = 0; i < m; i++) out[i * width + (c - from)] = column[i]!;
  }
  return { rows: m, cols: width, data: out };
}
