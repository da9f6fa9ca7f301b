import type { DiffusionModel } from '../model/diffusion-model.js';
import { convertPrediction, type PredictionType } from '../model/prediction-type.js';
import type { NoiseSchedule } from '../schedule/noise-schedule.js';
import type { GaussianMixture } from './gaussian-mixture.js';

/**
 * Exact x0 and eps of a diagonal Gaussian mixture under `x_t = alpha x0 + sigma eps` (spec §6.1),
 * for a flat batch of points. Responsibilities in log space; eps is computed directly
 * (`eps = sigma sum_k r_k (x - alpha mu_k)/C_k`) so it does not lose digits at small sigma.
 */
export function mixturePosterior(
  mix: GaussianMixture,
  x: Float64Array,
  alpha: number,
  sigma: number,
  outX0: Float64Array | null,
  outEps: Float64Array | null,
  outResp?: Float64Array,
): void {
  const d = mix.dim;
  const K = mix.weights.length;
  const n = x.length / d;
  const logw = new Float64Array(K);
  const cInv = new Float64Array(K * d);
  const gain = new Float64Array(K * d);
  const s2 = sigma * sigma;
  for (let k = 0; k < K; k++) {
    let logdet = 0;
    for (let i = 0; i < d; i++) {
      const sd = mix.stds[k * d + i]!;
      const c = alpha * alpha * sd * sd + s2;
      cInv[k * d + i] = 1 / c;
      gain[k * d + i] = (alpha * sd * sd) / c;
      logdet += Math.log(c);
    }
    logw[k] = Math.log(mix.weights[k]!) - 0.5 * logdet;
  }
  const lr = new Float64Array(K);
  for (let p = 0; p < n; p++) {
    const off = p * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      let q = 0;
      for (let i = 0; i < d; i++) {
        const r = x[off + i]! - alpha * mix.means[k * d + i]!;
        q += r * r * cInv[k * d + i]!;
      }
      const v = logw[k]! - 0.5 * q;
      lr[k] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(lr[k]! - max);
      lr[k] = e;
      sum += e;
    }
    for (let k = 0; k < K; k++) lr[k] = lr[k]! / sum;
    if (outResp) for (let k = 0; k < K; k++) outResp[p * K + k] = lr[k]!;
    for (let i = 0; i < d; i++) {
      const xi = x[off + i]!;
      let a0 = 0;
      let ae = 0;
      for (let k = 0; k < K; k++) {
        const r = lr[k]!;
        const mu = mix.means[k * d + i]!;
        const res = xi - alpha * mu;
        a0 += r * (mu + gain[k * d + i]! * res);
        ae += r * res * cInv[k * d + i]!;
      }
      if (outX0) outX0[off + i] = a0;
      if (outEps) outEps[off + i] = sigma * ae;
    }
  }
}

/**
 * The exact denoiser of a Gaussian mixture as a `DiffusionModel` on any schedule (VP, VE, flow),
 * returning the requested prediction type.
 */
export function mixtureModel(
  mix: GaussianMixture,
  schedule: NoiseSchedule,
  prediction: PredictionType = 'x0',
): DiffusionModel {
  return {
    schedule,
    prediction,
    denoise(x, t) {
      const alpha = schedule.alpha(t);
      const sigma = schedule.sigma(t);
      if (prediction === 'x0') {
        const out = new Float64Array(x.length);
        mixturePosterior(mix, x, alpha, sigma, out, null);
        return out;
      }
      const eps = new Float64Array(x.length);
      mixturePosterior(mix, x, alpha, sigma, null, eps);
      return prediction === 'eps' ? eps : convertPrediction(eps, 'eps', prediction, x, alpha, sigma);
    },
  };
}

/** Spec start points: `xT[j][i] = 6 (frac(j sqrt(p_i)) - 0.5)`, j = 1..count, p = 2, 3, 5, …, 19. */
export function mixtureStartPoints(dim: number, count = 256, scale = 1): Float64Array {
  const primes = [2, 3, 5, 7, 11, 13, 17, 19];
  if (dim > primes.length) {
    for (let c = 23; primes.length < dim; c += 2) if (primes.every((p) => c % p !== 0)) primes.push(c);
  }
  const out = new Float64Array(count * dim);
  for (let j = 1; j <= count; j++) {
    for (let i = 0; i < dim; i++) {
      const v = j * Math.sqrt(primes[i]!);
      out[(j - 1) * dim + i] = 6 * (v - Math.floor(v) - 0.5) * scale;
    }
  }
  return out;
}
