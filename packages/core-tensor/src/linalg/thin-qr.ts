import type { DenseMatrix } from './dense-matrix.js';
import { assertFinite } from './svd.js';

export interface ThinQrResult {
  /** m×k with orthonormal columns, k = min(m, n). */
  readonly q: DenseMatrix;
  /** k×n upper triangular (upper trapezoidal when n > m) with a non-negative diagonal. */
  readonly r: DenseMatrix;
}

/**
 * Thin (reduced) QR `a = q·r` by Householder reflections, for any shape (tall, square or wide) and
 * any rank: q always has orthonormal columns, also when `a` is rank deficient. Signs are fixed so
 * the diagonal of r is non-negative (the factorisation is then unique for full column rank, and
 * matches Gram–Schmidt). O(m·n·k).
 */
export function thinQr(a: DenseMatrix): ThinQrResult {
  assertFinite('thinQr', a);
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  // Column-major working copy; the Householder vector of step c ends up in rows c..m-1 of column c.
  const vc = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) vc[j * m + i] = a.data[i * n + j]!;
  const beta = new Float64Array(k);
  const diagonal = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const cc = c * m;
    // ‖column‖ scaled by its largest entry, so huge or tiny entries neither overflow nor underflow.
    let scale = 0;
    for (let i = c; i < m; i++) scale = Math.max(scale, Math.abs(vc[cc + i]!));
    if (scale === 0) continue; // nothing to reflect: R[c, c] = 0, H_c = I
    let norm = 0;
    for (let i = c; i < m; i++) {
      const v = vc[cc + i]! / scale;
      norm += v * v;
    }
    norm = scale * Math.sqrt(norm);
    // Reflect onto −sign(x₀)·‖x‖·e₀ so that v₀ = x₀ − α does not cancel.
    const alpha = vc[cc + c]! > 0 ? -norm : norm;
    diagonal[c] = alpha;
    vc[cc + c] = vc[cc + c]! - alpha;
    let vv = 0;
    for (let i = c; i < m; i++) vv += vc[cc + i]! * vc[cc + i]!;
    beta[c] = 2 / vv;
    for (let j = c + 1; j < n; j++) {
      const cj = j * m;
      let t = 0;
      for (let i = c; i < m; i++) t += vc[cc + i]! * vc[cj + i]!;
      t *= beta[c]!;
      for (let i = c; i < m; i++) vc[cj + i] = vc[cj + i]! - t * vc[cc + i]!;
    }
  }
  const q = new Float64Array(m * k);
  const column = new Float64Array(m);
  for (let j = 0; j < k; j++) {
    // Q·e_j = H₀(H₁(…H_{k−1}·e_j)); H_c leaves rows < c alone, so start at c = j.
    column.fill(0);
    column[j] = 1;
    for (let c = Math.min(j, k - 1); c >= 0; c--) {
      const cc = c * m;
      let t = 0;
      for (let i = c; i < m; i++) t += vc[cc + i]! * column[i]!;
      t *= beta[c]!;
      if (t === 0) continue;
      for (let i = c; i < m; i++) column[i] = column[i]! - t * vc[cc + i]!;
    }
    const sign = diagonal[j]! < 0 ? -1 : 1;
    for (let i = 0; i < m; i++) q[i * k + j] = sign * column[i]!;
  }
  const r = new Float64Array(k * n);
  for (let c = 0; c < k; c++) {
    const sign = diagonal[c]! < 0 ? -1 : 1;
    r[c * n + c] = sign * diagonal[c]!;
    for (let j = c + 1; j < n; j++) r[c * n + j] = sign * vc[j * m + c]!;
  }
  return { q: { rows: m, cols: k, data: q }, r: { rows: k, cols: n, data: r } };
}
