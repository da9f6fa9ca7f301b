import { assertSquare, type DenseMatrix, linalgError } from './dense-matrix.js';

/** `a⁻¹` by Gauss–Jordan elimination with partial pivoting; E_NUMERIC when `a` is singular. */
export function inverse(a: DenseMatrix): DenseMatrix {
  assertSquare('inverse', a);
  const n = a.rows;
  const work = new Float64Array(a.data);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let maxAbs = 0;
  for (let i = 0; i < work.length; i++) maxAbs = Math.max(maxAbs, Math.abs(work[i]!));
  const tolerance = n * Number.EPSILON * maxAbs;
  for (let col = 0; col < n; col++) {
    let pivotRow = col;
    let pivotAbs = Math.abs(work[col * n + col]!);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(work[r * n + col]!);
      if (v > pivotAbs) {
        pivotAbs = v;
        pivotRow = r;
      }
    }
    if (!(pivotAbs > tolerance)) {
      throw linalgError(
        'E_NUMERIC',
        `inverse: the ${n}×${n} matrix is singular to working precision (pivot ${pivotAbs} in column ${col}); use leastSquares or regularise`,
      );
    }
    if (pivotRow !== col) {
      swapRows(work, n, pivotRow, col);
      swapRows(inv, n, pivotRow, col);
    }
    const pivot = work[col * n + col]!;
    const rc = col * n;
    for (let j = 0; j < n; j++) {
      work[rc + j] = work[rc + j]! / pivot;
      inv[rc + j] = inv[rc + j]! / pivot;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = work[r * n + col]!;
      if (f === 0) continue;
      const rr = r * n;
      for (let j = 0; j < n; j++) {
        work[rr + j] = work[rr + j]! - f * work[rc + j]!;
        inv[rr + j] = inv[rr + j]! - f * inv[rc + j]!;
      }
    }
  }
  return { rows: n, cols: n, data: inv };
}

function swapRows(data: Float64Array, n: number, r1: number, r2: number): void {
  for (let j = 0; j < n; j++) {
    const t = data[r1 * n + j]!;
    data[r1 * n + j] = data[r2 * n + j]!;
    data[r2 * n + j] = t;
  }
}
