import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { X0Correction } from '../model/diffusion-model.js';

const schema = z.object({
  /** Values per sample; the quantile is taken per sample. */
  sampleSize: z.number().int().min(1),
  ratio: z.number().gt(0).max(1).default(0.995),
  /** `official` (DPM-Solver): s = max(q, maxValue). `diffusers`: s = clamp(q, 1, maxValue). */
  semantics: z.enum(['official', 'diffusers']).default('official'),
  maxValue: z.number().positive().default(1),
});

export type DynamicThresholdingOptions = z.input<typeof schema>;

/** torch.quantile (linear interpolation) of a sorted array. */
function quantileSorted(sorted: Float64Array, p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Imagen dynamic thresholding as an x0 correction: per sample `s` from the `ratio` quantile of |x0|,
 * then `x0 = clip(x0, -s, s) / s`. Pass the result as `correctX0` to any solver. Not for latent models.
 */
export function dynamicThresholding(options: DynamicThresholdingOptions): X0Correction {
  const o = parseOptions(PACKAGE_NAME, 'dynamicThresholding options', schema, options);
  return (x0) => {
    const size = o.sampleSize;
    const abs = new Float64Array(size);
    for (let off = 0; off + size <= x0.length; off += size) {
      for (let i = 0; i < size; i++) abs[i] = Math.abs(x0[off + i]!);
      abs.sort();
      const q = quantileSorted(abs, o.ratio);
      const s = o.semantics === 'official' ? Math.max(q, o.maxValue) : Math.min(Math.max(q, 1), o.maxValue);
      for (let i = off; i < off + size; i++) x0[i] = Math.min(Math.max(x0[i]!, -s), s) / s;
    }
  };
}
