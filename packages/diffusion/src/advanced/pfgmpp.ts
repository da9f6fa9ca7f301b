import { createRandom, sampleGamma } from '@modelsmith/core-tensor';
import { diffusionError } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { veSchedule } from '../schedule/ve-schedule.js';
import { streamNormal } from './stream-normal.js';

/** PFGM++ alignment with EDM: `r = sigma sqrt(D)`. */
export function pfgmppRadius(sigma: number, augmentedDims: number): number {
  return sigma * Math.sqrt(augmentedDims);
}

/** Inverse alignment: `sigma = r / sqrt(D)`. */
export function pfgmppSigma(radius: number, augmentedDims: number): number {
  return radius / Math.sqrt(augmentedDims);
}

/**
 * Draws `batch` PFGM++ perturbations of dimension N at noise level sigma (r = sigma sqrt(D)):
 * `R = r sqrt(B/(1-B))`, `B ~ Beta(N/2, D/2)` (so R^2/r^2 ~ BetaPrime(N/2, D/2)), times a uniform direction.
 * With sigma = sigma_max this is the prior; sample p uses `createRandom(seed, 'pfgmpp', p)`.
 */
export function pfgmppPerturbation(
  seed: number,
  batch: number,
  dim: number,
  augmentedDims: number,
  sigma: number,
): Float64Array {
  if (!(augmentedDims > 0))
    throw diffusionError('E_INPUT', `augmentedDims D must be positive, got ${augmentedDims}`);
  if (!Number.isInteger(dim) || dim < 1)
    throw diffusionError('E_INPUT', `dim must be a positive integer, got ${dim}`);
  const out = new Float64Array(batch * dim);
  const r = pfgmppRadius(sigma, augmentedDims);
  for (let p = 0; p < batch; p++) {
    const rng = createRandom(seed, 'pfgmpp', p).stream();
    const g1 = sampleGamma(rng, dim / 2);
    const g2 = sampleGamma(rng, augmentedDims / 2);
    // B/(1-B) = g1/g2 for B = g1/(g1+g2).
    const radius = r * Math.sqrt(g1 / g2);
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      const z = streamNormal(rng);
      out[p * dim + i] = z;
      norm += z * z;
    }
    const scale = radius / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) out[p * dim + i] = out[p * dim + i]! * scale;
  }
  return out;
}

/**
 * Exact PFGM++ denoiser of a finite dataset {y_i} (M × N, row-major) on the EDM sigma axis:
 * `D(x; sigma) = sum_i w_i y_i`, `w_i ∝ (||x - y_i||^2 + sigma^2 D)^{-(N+D)/2}` (log-space weights).
 * As D → ∞ the weights become Gaussian-kernel weights (EDM).
 */
export function pfgmppDenoiser(data: Float64Array, dim: number, augmentedDims: number): DiffusionModel {
  if (data.length % dim !== 0 || data.length === 0) {
    throw diffusionError(
      'E_SHAPE_MISMATCH',
      `data has ${data.length} values, not a positive multiple of dim ${dim}`,
    );
  }
  const m = data.length / dim;
  const expo = -(dim + augmentedDims) / 2;
  return {
    schedule: veSchedule(),
    prediction: 'x0',
    denoise(x, sigma) {
      const out = new Float64Array(x.length);
      const logw = new Float64Array(m);
      const s2d = sigma * sigma * augmentedDims;
      for (let p = 0; p < x.length / dim; p++) {
        let max = -Infinity;
        for (let j = 0; j < m; j++) {
          let d2 = 0;
          for (let i = 0; i < dim; i++) d2 += (x[p * dim + i]! - data[j * dim + i]!) ** 2;
          // (d2 + s2d)^expo = s2d^expo (1 + d2/s2d)^expo; the constant cancels.
          const v = expo * Math.log1p(d2 / s2d);
          logw[j] = v;
          if (v > max) max = v;
        }
        let sum = 0;
        for (let j = 0; j < m; j++) {
          const w = Math.exp(logw[j]! - max);
          logw[j] = w;
          sum += w;
        }
        for (let j = 0; j < m; j++) {
          const w = logw[j]! / sum;
          for (let i = 0; i < dim; i++) out[p * dim + i] = out[p * dim + i]! + w * data[j * dim + i]!;
        }
      }
      return out;
    },
  };
}
