import type { NoiseSchedule } from '../schedule/noise-schedule.js';
import { veSchedule } from '../schedule/ve-schedule.js';
import type { DiffusionModel } from './diffusion-model.js';

/** EDM preconditioning coefficients at noise level sigma (Karras et al. 2022, Table 1). */
export function edmPreconditioningCoefficients(sigma: number, sigmaData = 0.5) {
  const s2 = sigma * sigma + sigmaData * sigmaData;
  return {
    cSkip: (sigmaData * sigmaData) / s2,
    cOut: (sigma * sigmaData) / Math.sqrt(s2),
    cIn: 1 / Math.sqrt(s2),
    cNoise: Math.log(sigma) / 4,
  };
}

/**
 * Wraps a raw network `F(c_in x, c_noise)` as the EDM denoiser `D(x; sigma) = c_skip x + c_out F(...)`,
 * an x0-predicting model on a VE schedule (time = sigma).
 */
export function edmPreconditionedModel(
  network: (xScaled: Float64Array, cNoise: number) => Float64Array,
  options: { sigmaData?: number; schedule?: NoiseSchedule } = {},
): DiffusionModel {
  const sigmaData = options.sigmaData ?? 0.5;
  const schedule = options.schedule ?? veSchedule();
  return {
    schedule,
    prediction: 'x0',
    denoise(x, sigma) {
      const c = edmPreconditioningCoefficients(sigma, sigmaData);
      const f = network(
        x.map((v) => c.cIn * v),
        c.cNoise,
      );
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = c.cSkip * x[i]! + c.cOut * f[i]!;
      return out;
    },
  };
}
