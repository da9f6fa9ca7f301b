import { type DenseMatrix, type SvdResult, truncatedSvd } from '@modelsmith/core-tensor';

/** Extra sampled directions of the randomized SVD (core-tensor's default, stated here for the size rule). */
const OVERSAMPLE = 10;

/**
 * The leading `rank` singular triplets of `matrix` (core-tensor's `truncatedSvd`). Randomized with
 * `seed` when the sketch (rank + 10 columns) is small next to min(rows, cols); exact for small
 * matrices or near-full ranks, where the economy SVD is cheaper than the sketch and exact.
 */
export function leadingSvd(matrix: DenseMatrix, rank: number, seed: number): SvdResult {
  const full = Math.min(matrix.rows, matrix.cols);
  const sketch = Math.min(full, rank + OVERSAMPLE);
  const exact = full <= 64 || sketch >= 0.6 * full;
  return truncatedSvd(matrix, rank, exact ? {} : { method: 'randomized', seed, oversample: OVERSAMPLE });
}

/**
 * LoRA factors (PEFT orientation, row-major float64) of the first `k` triplets of an SVD:
 * `'sqrt'` splits the singular values, B = U·√S·scale and A = √S·Vᵀ·scale (extract, PiSSA);
 * `'left'` puts them on B, B = U·S and A = Vᵀ (combine). Either way B·A = scale²·U_k·S_k·V_kᵀ.
 */
export function loraFactorsFromSvd(
  svd: SvdResult,
  k: number,
  split: 'sqrt' | 'left',
  scale = 1,
): { a: Float64Array; b: Float64Array } {
  const rows = svd.u.rows;
  const cols = svd.v.rows;
  const a = new Float64Array(k * cols);
  const b = new Float64Array(rows * k);
  for (let c = 0; c < k; c++) {
    const sigma = svd.s[c]!;
    const onB = (split === 'sqrt' ? Math.sqrt(sigma) : sigma) * scale;
    const onA = (split === 'sqrt' ? Math.sqrt(sigma) : 1) * scale;
    for (let j = 0; j < cols; j++) a[c * cols + j] = onA * svd.v.data[j * svd.v.cols + c]!;
    for (let o = 0; o < rows; o++) b[o * k + c] = onB * svd.u.data[o * svd.u.cols + c]!;
  }
  return { a, b };
}
