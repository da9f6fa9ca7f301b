import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';

const schema = z.object({
  kind: z.enum(['linear', 'scaled_linear', 'cosine']),
  numTrainTimesteps: z.number().int().min(2).default(1000),
  betaStart: z.number().positive().default(0.0001),
  betaEnd: z.number().positive().default(0.02),
});

export type BetaScheduleOptions = z.input<typeof schema>;

/**
 * diffusers' training betas: `linear`, `scaled_linear` (sqrt-linear, Stable Diffusion) and
 * `cosine` (= `squaredcos_cap_v2`, betas capped at 0.999).
 */
export function makeBetas(options: BetaScheduleOptions): Float64Array {
  const {
    kind,
    numTrainTimesteps: n,
    betaStart,
    betaEnd,
  } = parseOptions(PACKAGE_NAME, 'makeBetas options', schema, options);
  const betas = new Float64Array(n);
  if (kind === 'linear') {
    for (let i = 0; i < n; i++) betas[i] = betaStart + ((betaEnd - betaStart) * i) / (n - 1);
  } else if (kind === 'scaled_linear') {
    const a = Math.sqrt(betaStart);
    const b = Math.sqrt(betaEnd);
    for (let i = 0; i < n; i++) betas[i] = (a + ((b - a) * i) / (n - 1)) ** 2;
  } else {
    const abar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (let i = 0; i < n; i++) betas[i] = Math.min(1 - abar((i + 1) / n) / abar(i / n), 0.999);
  }
  return betas;
}

/** `alphas_cumprod[n] = prod_{i<=n} (1 - beta_i)`. */
export function alphasCumprodFromBetas(betas: ArrayLike<number>): Float64Array {
  const out = new Float64Array(betas.length);
  let acc = 1;
  for (let i = 0; i < betas.length; i++) {
    const beta = betas[i]!;
    if (!(beta >= 0 && beta <= 1)) {
      throw diffusionError('E_INPUT', `betas[${i}] = ${beta} is outside [0, 1]; pass betas in [0, 1]`);
    }
    acc *= 1 - beta;
    out[i] = acc;
  }
  return out;
}

/**
 * Lin et al. 2023, Algorithm 1: shift and scale `sqrt(alphas_cumprod)` so the last one is exactly 0
 * (zero terminal SNR) while the first is unchanged. Returns the new betas (the last is 1).
 * Pair with v- or x0-prediction models and `trailing` spacing; eps models cannot be sampled from t = T.
 */
export function rescaleZeroTerminalSnr(betas: ArrayLike<number>): Float64Array {
  const abar = alphasCumprodFromBetas(betas);
  const n = abar.length;
  const s = Array.from(abar, Math.sqrt);
  const a0 = s[0]!;
  const aT = s[n - 1]!;
  const out = new Float64Array(n);
  let prev = 1;
  for (let i = 0; i < n; i++) {
    const scaled = ((s[i]! - aT) * a0) / (a0 - aT);
    const ab = scaled * scaled;
    out[i] = i === 0 ? 1 - ab : 1 - ab / prev;
    prev = ab;
  }
  return out;
}
