import { createMatrix, createRandom, svd } from '@modelsmith/core-tensor';

// Float64 SVD helpers for PiSSA/OLoRA inits, adapter combination and extraction. The dense SVD is
// core-tensor's; the randomized truncated SVD and the thin QR are local (candidates for core-tensor).

/** A thin SVD: `A ≈ U·diag(s)·Vᵀ` with `u` `[rows, k]`, `v` `[cols, k]` row-major, `s` descending. */
export interface ThinSvd {
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly u: Float64Array;
  readonly s: Float64Array;
  readonly v: Float64Array;
}

export function transposeF64(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}

/** Thin SVD through core-tensor's `svd` (economy), in this module's flat layout. */
export function svdThin(data: ArrayLike<number>, rows: number, cols: number): ThinSvd {
  const result = svd(createMatrix(rows, cols, Float64Array.from(data)), { economy: true });
  return { rows, cols, k: result.s.length, u: result.u.data, s: result.s, v: result.v.data };
}

/** Thin QR by modified Gram-Schmidt with re-orthogonalisation: `[rows, cols]` → Q `[rows, k]`, R `[k, cols]`, k = min. */
export function qrThin(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
): { q: Float64Array; r: Float64Array; k: number } {
  const k = Math.min(rows, cols);
  const q = new Float64Array(rows * k);
  const r = new Float64Array(k * cols);
  const column = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) column[i] = data[i * cols + j]!;
    const limit = Math.min(j, k);
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < limit; c++) {
        let d = 0;
        for (let i = 0; i < rows; i++) d += q[i * k + c]! * column[i]!;
        r[c * cols + j]! += d;
        for (let i = 0; i < rows; i++) column[i]! -= d * q[i * k + c]!;
      }
    }
    if (j < k) {
      let norm = 0;
      for (let i = 0; i < rows; i++) norm += column[i]! ** 2;
      norm = Math.sqrt(norm);
      r[j * cols + j] = norm;
      for (let i = 0; i < rows; i++) q[i * k + j] = norm > 0 ? column[i]! / norm : 0;
    }
  }
  return { q, r, k };
}

/**
 * Truncated SVD to `rank` by randomized subspace iteration (Halko et al.) with `powerIterations`
 * passes, finished by an exact Jacobi SVD of the small projected matrix. Seeded.
 */
export function truncatedSvd(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  rank: number,
  options: { seed?: number; oversample?: number; powerIterations?: number } = {},
): ThinSvd {
  const full = Math.min(rows, cols);
  const target = Math.min(full, rank);
  const sketch = Math.min(full, target + (options.oversample ?? 10));
  if (sketch >= full * 0.6 || full <= 64) {
    const exact = svdThin(data, rows, cols);
    return truncate(exact, target);
  }
  const random = createRandom(options.seed ?? 0, 'truncated-svd', rows, cols);
  // Y = A·Ω, Ω [cols, sketch]
  const omega = new Float64Array(cols * sketch);
  random.fillNormal(omega);
  let q = orthonormalize(multiply(data, rows, cols, omega, sketch), rows, sketch);
  for (let it = 0; it < (options.powerIterations ?? 2); it++) {
    const z = orthonormalize(multiplyTransposed(data, rows, cols, q, sketch), cols, sketch); // Aᵀ·Q
    q = orthonormalize(multiply(data, rows, cols, z, sketch), rows, sketch);
  }
  const b = transposeF64(multiplyTransposed(data, rows, cols, q, sketch), cols, sketch); // Qᵀ·A [sketch, cols]
  const small = svdThin(b, sketch, cols);
  const u = new Float64Array(rows * small.k);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < small.k; c++) {
      let sum = 0;
      for (let t = 0; t < sketch; t++) sum += q[i * sketch + t]! * small.u[t * small.k + c]!;
      u[i * small.k + c] = sum;
    }
  }
  return truncate({ rows, cols, k: small.k, u, s: small.s, v: small.v }, target);
}

export function truncate(svd: ThinSvd, rank: number): ThinSvd {
  const k = Math.min(rank, svd.k);
  const u = new Float64Array(svd.rows * k);
  const v = new Float64Array(svd.cols * k);
  for (let i = 0; i < svd.rows; i++) for (let c = 0; c < k; c++) u[i * k + c] = svd.u[i * svd.k + c]!;
  for (let i = 0; i < svd.cols; i++) for (let c = 0; c < k; c++) v[i * k + c] = svd.v[i * svd.k + c]!;
  return { rows: svd.rows, cols: svd.cols, k, u, s: svd.s.slice(0, k), v };
}

/** A·X for row-major A `[rows, cols]` and X `[cols, width]`. */
function multiply(
  a: ArrayLike<number>,
  rows: number,
  cols: number,
  x: Float64Array,
  width: number,
): Float64Array {
  const out = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) {
    const o = i * width;
    for (let j = 0; j < cols; j++) {
      const value = a[i * cols + j]!;
      if (value === 0) continue;
      const xo = j * width;
      for (let c = 0; c < width; c++) out[o + c]! += value * x[xo + c]!;
    }
  }
  return out;
}

/** Aᵀ·Y for row-major A `[rows, cols]` and Y `[rows, width]` → `[cols, width]`. */
function multiplyTransposed(
  a: ArrayLike<number>,
  rows: number,
  cols: number,
  y: Float64Array,
  width: number,
): Float64Array {
  const out = new Float64Array(cols * width);
  for (let i = 0; i < rows; i++) {
    const yo = i * width;
    for (let j = 0; j < cols; j++) {
      const value = a[i * cols + j]!;
      if (value === 0) continue;
      const o = j * width;
      for (let c = 0; c < width; c++) out[o + c]! += value * y[yo + c]!;
    }
  }
  return out;
}

function orthonormalize(y: Float64Array, rows: number, width: number): Float64Array {
  return qrThin(y, rows, width).q;
}
