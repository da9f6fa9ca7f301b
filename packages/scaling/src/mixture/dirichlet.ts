import { type RandomStream, sampleGamma as sampleGammaDraw } from '@modelsmith/core-tensor';
import { scalingError } from '../errors.js';

/**
 * Gamma(shape, 1) draw: core-tensor's Marsaglia–Tsang `sampleGamma(stream, shape)`, kept under this
 * package's earlier `(shape, stream)` argument order so existing callers keep compiling.
 */
export function sampleGamma(shape: number, stream: RandomStream): number {
  return sampleGammaDraw(stream, shape);
}

/** One Dirichlet(alpha) draw from a seeded stream. */
export function sampleDirichlet(alpha: ArrayLike<number>, stream: RandomStream): Float64Array {
  const out = new Float64Array(alpha.length);
  let sum = 0;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    if (!(a > 0 && Number.isFinite(a)))
      throw scalingError('E_INPUT', `Dirichlet alpha[${i}] = ${a} must be > 0`);
    out[i] = sampleGammaDraw(stream, a);
    sum += out[i]!;
  }
  if (sum === 0) {
    // Every gamma underflowed (tiny alphas): fall back to the largest alpha's vertex.
    let best = 0;
    for (let i = 1; i < alpha.length; i++) if (alpha[i]! > alpha[best]!) best = i;
    out[best] = 1;
    return out;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}
