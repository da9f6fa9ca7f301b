import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import type { DenoiserFn, DiffusionModel } from '../model/diffusion-model.js';
import { convertPrediction, type PredictionType } from '../model/prediction-type.js';

const schema = z.object({
  /** Guidance scale w: `u + w (c - u)`; w = 1 is the conditional model. */
  scale: z.number(),
  /** Space in which outputs are combined. */
  space: z.enum(['eps', 'x0']).default('eps'),
  /** CFG-rescale phi (Lin et al. 2023): blend toward the guided output rescaled to the conditional's std. */
  rescale: z.number().min(0).max(1).default(0),
  /** Values per sample, needed for per-sample standard deviations when rescale > 0. */
  sampleSize: z.number().int().min(1).optional(),
});

export type ClassifierFreeGuidanceOptions = z.input<typeof schema>;

function stdOf(a: Float64Array, off: number, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m += a[off + i]!;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (a[off + i]! - m) ** 2;
  // torch.std default: unbiased.
  return Math.sqrt(v / Math.max(1, n - 1));
}

/**
 * Classifier-free guidance: combines a conditional and an unconditional denoiser (same schedule and
 * prediction type) into one model predicting `space` (eps or x0).
 */
export function classifierFreeGuidance(
  conditional: DiffusionModel,
  unconditional: DenoiserFn,
  options: ClassifierFreeGuidanceOptions,
): DiffusionModel {
  const o = parseOptions(PACKAGE_NAME, 'classifierFreeGuidance options', schema, options);
  if (o.rescale > 0 && o.sampleSize === undefined) {
    throw diffusionError(
      'E_INPUT',
      'classifierFreeGuidance: rescale > 0 needs sampleSize (values per sample)',
    );
  }
  const sch = conditional.schedule;
  const space: PredictionType = o.space;
  return {
    schedule: sch,
    prediction: space,
    denoise(x, t) {
      const a = sch.alpha(t);
      const s = sch.sigma(t);
      const c = convertPrediction(conditional.denoise(x, t), conditional.prediction, space, x, a, s);
      if (o.scale === 1 && o.rescale === 0) return c;
      const u = convertPrediction(unconditional(x, t), conditional.prediction, space, x, a, s);
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = u[i]! + o.scale * (c[i]! - u[i]!);
      if (o.rescale > 0) {
        const size = o.sampleSize!;
        for (let off = 0; off < x.length; off += size) {
          const factor = stdOf(c, off, size) / stdOf(out, off, size);
          const mix = o.rescale * factor + (1 - o.rescale);
          for (let i = off; i < off + size; i++) out[i] = out[i]! * mix;
        }
      }
      return out;
    },
  };
}
