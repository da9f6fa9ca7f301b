import { mergeError } from '../errors.js';
import { rowLengthOf, type TensorContext } from './tensor-context.js';

export interface ModelStockOptions {
  /** One ratio per row (mergekit `filter_wise`) instead of one per tensor. */
  readonly filterWise: boolean;
  /** N > 2: average the pairwise cosines (mergekit) or the pairwise angles (FusionBench). */
  readonly pairwise: 'cosine' | 'angle';
}

/** Model Stock's interpolation ratio t = N·cos θ / (1 + (N − 1)·cos θ). */
export function modelStockRatio(count: number, cos: number): number {
  const denominator = 1 + (count - 1) * cos;
  // cos θ = −1/(N−1) makes the ratio blow up; the offsets then cancel, so fall back to the base.
  if (Math.abs(denominator) < 1e-12) return 0;
  return (count * cos) / denominator;
}

/** θ = t·mean(θᵢ) + (1 − t)·θ₀ with t from the mean pairwise similarity of the offsets θᵢ − θ₀. */
export function modelStockMerge(
  base: Float32Array,
  models: readonly Float32Array[],
  options: ModelStockOptions,
  context: TensorContext,
): Float32Array {
  const count = models.length;
  if (count < 2)
    throw mergeError(
      'E_CONFIG',
      `model_stock on tensor '${context.name}': needs at least 2 fine-tuned models plus base_model, got ${count}`,
    );
  const n = base.length;
  const unit = options.filterWise ? rowLengthOf(context.shape, n) : n;
  const out = new Float32Array(n);
  const norms = new Float64Array(count);
  for (let start = 0; start < n; start += unit) {
    const end = Math.min(n, start + unit);
    norms.fill(0);
    for (let m = 0; m < count; m++) {
      let s = 0;
      for (let i = start; i < end; i++) {
        const d = models[m]![i]! - base[i]!;
        s += d * d;
      }
      norms[m] = Math.sqrt(s);
    }
    let total = 0;
    let pairs = 0;
    for (let a = 0; a < count; a++) {
      for (let b = a + 1; b < count; b++) {
        let dot = 0;
        for (let i = start; i < end; i++) dot += (models[a]![i]! - base[i]!) * (models[b]![i]! - base[i]!);
        const cos = Math.max(-1, Math.min(1, dot / (Math.max(norms[a]!, 1e-8) * Math.max(norms[b]!, 1e-8))));
        total += options.pairwise === 'angle' ? Math.acos(cos) : cos;
        pairs++;
      }
    }
    const mean = total / pairs;
    const cos = options.pairwise === 'angle' ? Math.cos(mean) : mean;
    const t = modelStockRatio(count, cos);
    for (let i = start; i < end; i++) {
      let sum = 0;
      for (let m = 0; m < count; m++) sum += models[m]![i]!;
      out[i] = (t * sum) / count + (1 - t) * base[i]!;
    }
  }
  return out;
}
